import type { ColumnType, Generated, Selectable } from 'kysely';

/** The tables of accounts, sessions, members, deploy keys and the audit log (migration 0009); Database in db.ts lists them. */

export type InstanceRole = 'owner' | 'member';
export type ProjectRole = 'admin' | 'deployer' | 'viewer';
export type SetupLinkPurpose = 'invite' | 'set-password' | 'reset';
export type AuditActorKind = 'user' | 'token' | 'deploy-key' | 'system' | 'anonymous';
export type AuditResult = 'ok' | 'denied' | 'failed';

export interface UsersTable {
  id: string;
  /** As given; unique ignoring case (index on lower(email)). */
  email: string;
  /** argon2id PHC string; null until the user sets one through a one-time link. */
  password_hash: ColumnType<string | null, string | null | undefined, string | null>;
  role: ColumnType<InstanceRole, InstanceRole | undefined, InstanceRole>;
  disabled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The TOTP secret, sealed (SecretBox); set while enrolling, used once `totp_enabled`. */
  totp_secret_sealed: ColumnType<string | null, string | null | undefined, string | null>;
  totp_enabled: ColumnType<boolean, boolean | undefined, boolean>;
  /** The TOTP step of the last code accepted: the same code is not accepted twice. */
  totp_last_step: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: Generated<Date>;
}

export interface UserRecoveryCodesTable {
  user_id: string;
  code_hash: string;
  used_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface UserSetupLinksTable {
  token_hash: string;
  user_id: string;
  purpose: SetupLinkPurpose;
  created_at: Generated<Date>;
  expires_at: Date;
  used_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface SessionsTable {
  /** SHA-256 of the cookie's secret: a database dump signs nobody in. */
  id_hash: string;
  user_id: string;
  created_at: Generated<Date>;
  last_seen_at: ColumnType<Date, Date | undefined, Date>;
  idle_expires_at: Date;
  expires_at: Date;
  revoked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  client_address: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ProjectMembersTable {
  project: string;
  user_id: string;
  role: ProjectRole;
  created_at: Generated<Date>;
}

export interface DeployKeysTable {
  id: string;
  project: string;
  name: string;
  key_hash: string;
  created_by: string | null;
  created_at: Generated<Date>;
  last_used_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  revoked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export type UserRow = Selectable<UsersTable>;

export interface AuditLogTable {
  id: number;
  at: Date;
  actor_kind: AuditActorKind;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_kind: string | null;
  target_id: string | null;
  project: string | null;
  client_address: string | null;
  result: AuditResult;
  detail: ColumnType<Record<string, unknown>, string, never>;
  prev_hash: string;
  hash: string;
}
