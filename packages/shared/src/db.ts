import pg from 'pg';
import { Kysely, PostgresDialect, type ColumnType, type Generated, type Selectable } from 'kysely';
import type { DeploymentStatus } from './deployment-state.ts';
import type { LogStream } from './log-line.ts';
import type { JobsTable, RunLogsTable, RunsTable } from './run-tables.ts';
import type { TokenScope } from './token-scope.ts';
import type {
  AuditLogTable,
  DeployKeysTable,
  ProjectMembersTable,
  SessionsTable,
  UserRecoveryCodesTable,
  UserSetupLinksTable,
  UsersTable,
} from './accounts/tables.ts';
import type { AppMetricRollupsTable, AppMetricSamplesTable, AppRequestMetricsTable, AppRequestRollupsTable } from './app-metrics/tables.ts';
import type { ServicesTable, VolumesTable } from './project-resource-tables.ts';
import type { BackupsTable } from './backup-table.ts';
import type { HookDeliveriesTable, WebhookDeliveriesTable, WebhooksTable } from './webhook-tables.ts';
import type { LogDrainCursorsTable, LogDrainsTable } from './log-drain-tables.ts';
export type { HookDeliveriesTable, WebhookDeliveriesTable, WebhooksTable } from './webhook-tables.ts';

export type { ServiceType } from './project-resource-tables.ts';

// bigint columns (log seq) fit comfortably in a JS number.
pg.types.setTypeParser(20, (value: string) => Number(value));

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface DeploymentsTable {
  id: string;
  project: string;
  status: DeploymentStatus;
  error_code: string | null;
  error_message: string | null;
  source_type: 'git' | 'archive' | 'image';
  git_url: string | null;
  git_ref: string | null;
  root_dir: string;
  archive_format: 'zip' | 'tar.gz' | null;
  port: number;
  env: ColumnType<Record<string, string>, string, string>;
  image: string | null;
  container_id: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
  finished_at: Date | null;
  commit_sha: string | null;
  /** False for a preview: it never takes the project URL by itself. */
  promote: ColumnType<boolean, boolean | undefined, boolean>;
  health_path: ColumnType<string, string | undefined, string>;
  /** The env snapshot, sealed (see secret-box.ts); null on rows made before sealing (then `env`). */
  env_sealed: string | null;
  build_env_sealed: string | null;
  /** The deployment whose image this release runs (a rollback), if not built itself. */
  release_of: string | null;
  /** When the project URL moved away from it: it drains, then stops. */
  retired_at: Date | null;
  image_bytes: ColumnType<number | null, number | null | undefined, number | null>;
  /** The branch a push deployed as a preview; null for the production lane. */
  branch: ColumnType<string | null, string | null | undefined, string | null>;
  commit_author: ColumnType<string | null, string | null | undefined, string | null>;
  commit_message: ColumnType<string | null, string | null | undefined, string | null>;
  /** Desired copies (Swarm tasks) of this release; the worker scales its service to it. */
  replicas: ColumnType<number, number | undefined, number>;
  /** A prebuilt image's reference as asked (source_type image), and the manifest digest its pull got (what runs). */
  source_image: ColumnType<string | null, string | null | undefined, string | null>;
  image_digest: ColumnType<string | null, string | null | undefined, string | null>;
  /** The release's process types ({ type: command }, process-types.ts); null: the image's own command only. */
  processes: ColumnType<Record<string, string> | null, Record<string, string> | null | undefined, Record<string, string> | null>;
  /** The runtime that started its app (docker: a container, swarm: a service); null before it started. */
  runtime: ColumnType<'docker' | 'swarm' | null, 'docker' | 'swarm' | null | undefined, 'docker' | 'swarm' | null>;
}

export interface DeploymentArchivesTable {
  deployment_id: string;
  data: Buffer;
}

export interface DeploymentLogsTable {
  deployment_id: string;
  seq: number;
  ts: Timestamp;
  stream: LogStream;
  line: string;
}

/** Who may store a running deployment's runtime lines (runtime-log-followers.ts). */
export interface RuntimeLogFollowersTable {
  deployment_id: string;
  follower: string;
  claimed_at: Generated<Timestamp>;
}

export interface DeploymentTransitionsTable {
  id: Generated<number>;
  deployment_id: string;
  status: DeploymentStatus;
  error_code: string | null;
  error_message: string | null;
  at: Timestamp;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  token_hash: string;
  scope: ColumnType<TokenScope, TokenScope | undefined, TokenScope>;
  created_at: Generated<Date>;
  revoked_at: Date | null;
  /** A personal token's owner; null for an instance token (owner-level, as every token was before accounts). */
  owner_user_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The projects a personal token is limited to; null: all its owner may see. */
  projects: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  expires_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  last_used_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface ProjectsTable {
  name: string;
  id: string;
  current_deployment_id: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
  git_url: string | null;
  git_ref: string | null;
  root_dir: ColumnType<string, string | undefined, string>;
  port: number | null;
  health_path: ColumnType<string, string | undefined, string>;
  env_sealed: string | null;
  build_env_sealed: string | null;
  /** Signs the project's incoming git hooks (sealed). */
  hook_secret_sealed: ColumnType<string | null, string | null | undefined, string | null>;
  /** Copies a new release of the project runs (and its current release, when it changes). */
  replicas: ColumnType<number, number | undefined, number>;  /** The previews' own env and build env (sealed); which a preview gets: apps/api/src/release-env.ts. */
  preview_env_sealed: ColumnType<string | null, string | null | undefined, string | null>;
  preview_build_env_sealed: ColumnType<string | null, string | null | undefined, string | null>;
  /** True: previews get the project's env with the preview env on top; false: the preview env only. */
  previews_inherit_env: ColumnType<boolean, boolean | undefined, boolean>;
  /** How a release replaces the one before: start-first (overlap) or stop-first (a gap; one process on the volumes). */
  deploy_strategy: ColumnType<DeployStrategy, DeployStrategy | undefined, DeployStrategy>;
  /** Run once in a new production image before the URL moves (berth.json's `release` when null). */
  release_command: ColumnType<string | null, string | null | undefined, string | null>;
  /** Previews get a volume of their own for each of the project's (empty at first); false: none. */
  preview_volumes: ColumnType<boolean, boolean | undefined, boolean>;
  /** Sealed `{ username, password }` the project's prebuilt images are pulled with; never returned. */
  registry_auth_sealed: ColumnType<string | null, string | null | undefined, string | null>;
  /** Globs relative to the repository root: a push changing none of them builds nothing; null: every push builds. */
  watch_paths: ColumnType<string[] | null, string | null | undefined, string | null>;
  last_skipped_push: ColumnType<SkippedPush | null, string | null | undefined, string | null>;
  /** Containers per non-web process type ({ worker: 2 }); a type not in it runs one. */
  process_counts: ColumnType<Record<string, number>, Record<string, number> | undefined, Record<string, number>>;
}

/** A push that built nothing (no changed file matched the project's watchPaths). */
export interface SkippedPush {
  sha: string;
  branch: string;
  at: string;
  reason: string;
}

export type DeployStrategy = 'start-first' | 'stop-first';

export interface DomainsTable {
  hostname: string;
  project: string;
  created_at: Generated<Date>;
  /** What `_berth-challenge.<hostname>` must hold; null for a name verified when added. */
  verification_token: string | null;
  /** Null while the name is pending: it is neither routed nor given a certificate. */
  verified_at: Date | null;
}

export interface Database {
  deployments: DeploymentsTable;
  deployment_archives: DeploymentArchivesTable;
  deployment_logs: DeploymentLogsTable;
  runtime_log_followers: RuntimeLogFollowersTable;
  deployment_transitions: DeploymentTransitionsTable;
  projects: ProjectsTable;
  domains: DomainsTable;
  volumes: VolumesTable;
  services: ServicesTable;
  hook_deliveries: HookDeliveriesTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  log_drains: LogDrainsTable;
  log_drain_cursors: LogDrainCursorsTable;
  api_tokens: ApiTokensTable;
  users: UsersTable;
  user_recovery_codes: UserRecoveryCodesTable;
  user_setup_links: UserSetupLinksTable;
  sessions: SessionsTable;
  project_members: ProjectMembersTable;
  deploy_keys: DeployKeysTable;
  audit_log: AuditLogTable;
  app_metric_samples: AppMetricSamplesTable;
  app_request_metrics: AppRequestMetricsTable;
  app_metric_rollups: AppMetricRollupsTable;
  app_request_rollups: AppRequestRollupsTable;
  jobs: JobsTable;
  runs: RunsTable;
  run_logs: RunLogsTable;
  backups: BackupsTable;
}

export type DeploymentRow = Selectable<DeploymentsTable>;
export type ProjectRow = Selectable<ProjectsTable>;
export type VolumeRow = Selectable<VolumesTable>;
export type ServiceRow = Selectable<ServicesTable>;
export type JobRow = Selectable<JobsTable>;
export type RunRow = Selectable<RunsTable>;
export type BackupRow = Selectable<BackupsTable>;
export type { BackupKind, BackupStatus } from './backup-table.ts';
export type { RunKind, RunStatus } from './run-tables.ts';

export type Db = Kysely<Database>;

/** How long an unused pooled connection stays open. */
export const idleConnectionMs = 60_000;

export function createDb(connectionString: string, options: { max?: number } = {}): Db {
  // Idle connections are kept a minute (pg's default is 10 s): the processes' chores run every 5
  // and 10 s, several at once, and a connection closed just before the next tick was opened again
  // on it (a connect, a start-up exchange and a new Postgres backend each time, at rest).
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, idleTimeoutMillis: idleConnectionMs });
  // A client losing its connection (Postgres restarted) must not crash the
  // process. The pool's 'error' covers idle clients only; a client checked out
  // with no query running (between the statements of a transaction) emits
  // 'error' on itself, so every client gets a listener of its own. The
  // query that next uses it fails, and its caller handles that.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
