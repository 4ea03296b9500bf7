import { randomBytes } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db.ts';
import { BerthError } from '../errors.ts';
import { hashPassword, needsRehash, passwordProblem, verifyPassword } from './password.ts';
import type { InstanceRole, UserRow } from './tables.ts';

/** A user as the API shows it: never the password hash or the TOTP secret. */
export interface UserInfo {
  id: string;
  email: string;
  role: InstanceRole;
  hasPassword: boolean;
  totpEnabled: boolean;
  disabledAt: Date | null;
  createdAt: Date;
}

export type Authentication = { ok: true; user: UserRow } | { ok: false; reason: 'invalid' | 'disabled' };

/** `usr_` and 12 hex digits. */
export function newUserId(): string {
  return `usr_${randomBytes(6).toString('hex')}`;
}

export function toUserInfo(row: UserRow): UserInfo {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    hasPassword: row.password_hash !== null,
    totpEnabled: row.totp_enabled,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
  };
}

/** A plausible email: something@something.tld, no spaces, at most 254 characters. */
export function emailProblem(email: string): string | undefined {
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return `"${email}" is not an email address`;
  return undefined;
}

/**
 * People: who they are, their instance role, their password. Emails are
 * unique ignoring case. Disabling a user revokes their sessions and personal
 * tokens in the same transaction, so neither works a moment later.
 */
export class UserStore {
  constructor(private readonly db: Db) {}

  async create(input: { email: string; role?: InstanceRole }): Promise<UserInfo> {
    const email = input.email.trim();
    const problem = emailProblem(email);
    if (problem) throw new BerthError('VALIDATION_FAILED', problem);
    const row = await this.db
      .insertInto('users')
      .values({ id: newUserId(), email, role: input.role ?? 'member' })
      .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new BerthError('CONFLICT', `a user with the email ${email} exists already`);
    return toUserInfo(row);
  }

  async get(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async findByEmail(email: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where(sql`lower(email)`, '=', email.trim().toLowerCase())
      .executeTakeFirst();
  }

  async list(): Promise<UserInfo[]> {
    const rows = await this.db.selectFrom('users').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(toUserInfo);
  }

  async anyOwner(): Promise<boolean> {
    const row = await this.db.selectFrom('users').select('id').where('role', '=', 'owner').limit(1).executeTakeFirst();
    return row !== undefined;
  }

  /** Sets a new password (checked against the rules first). */
  async setPassword(id: string, password: string): Promise<void> {
    const problem = passwordProblem(password);
    if (problem) throw new BerthError('VALIDATION_FAILED', problem);
    const { numUpdatedRows } = await this.db
      .updateTable('users')
      .set({ password_hash: await hashPassword(password) })
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(numUpdatedRows) === 0) throw new BerthError('NOT_FOUND', `user ${id} does not exist`);
  }

  /**
   * Email and password → the user. Takes one full password verify whether or
   * not the email exists (see verifyPassword), and says `disabled` only to
   * someone who knew the password. Re-hashes a hash made with an older cost.
   */
  async authenticate(email: string, password: string): Promise<Authentication> {
    const row = await this.findByEmail(email);
    const matched = await verifyPassword(row?.password_hash, password);
    if (!row || !matched) return { ok: false, reason: 'invalid' };
    if (row.disabled_at) return { ok: false, reason: 'disabled' };
    if (row.password_hash && needsRehash(row.password_hash)) await this.setPassword(row.id, password).catch(() => {});
    return { ok: true, user: row };
  }

  /** Changes the instance role; the last enabled owner stays an owner. */
  async setRole(id: string, role: InstanceRole): Promise<UserInfo> {
    return this.db.transaction().execute(async (trx) => {
      await lockOwners(trx);
      const row = await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new BerthError('NOT_FOUND', `user ${id} does not exist`);
      if (row.role === 'owner' && role !== 'owner' && !row.disabled_at) await assertAnotherOwner(trx, id);
      const updated = await trx.updateTable('users').set({ role }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      return toUserInfo(updated);
    });
  }

  /**
   * Disables the account: its sessions and personal tokens are revoked in
   * the same transaction. The last enabled owner cannot be disabled (nobody
   * could manage the instance then but an instance token).
   */
  async disable(id: string): Promise<UserInfo> {
    return this.db.transaction().execute(async (trx) => {
      await lockOwners(trx);
      const row = await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new BerthError('NOT_FOUND', `user ${id} does not exist`);
      if (row.role === 'owner' && !row.disabled_at) await assertAnotherOwner(trx, id);
      const now = new Date();
      const updated = await trx
        .updateTable('users')
        .set({ disabled_at: sql<Date>`coalesce(disabled_at, ${now})` })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx.updateTable('sessions').set({ revoked_at: now }).where('user_id', '=', id).where('revoked_at', 'is', null).execute();
      await trx
        .updateTable('api_tokens')
        .set({ revoked_at: now })
        .where('owner_user_id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
      return toUserInfo(updated);
    });
  }

  /** Enables a disabled account again (its old sessions and tokens stay revoked). */
  async enable(id: string): Promise<UserInfo> {
    const row = await this.db.updateTable('users').set({ disabled_at: null }).where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) throw new BerthError('NOT_FOUND', `user ${id} does not exist`);
    return toUserInfo(row);
  }
}

type Trx = Transaction<Database>;

/** Serializes the changes that could leave the instance without an enabled owner. */
async function lockOwners(trx: Trx): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('berth-owners'))`.execute(trx);
}

async function assertAnotherOwner(trx: Trx, id: string): Promise<void> {
  const other = await trx
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'owner')
    .where('disabled_at', 'is', null)
    .where('id', '!=', id)
    .limit(1)
    .executeTakeFirst();
  if (!other) throw new BerthError('CONFLICT', 'this is the last enabled owner: make another owner first');
}
