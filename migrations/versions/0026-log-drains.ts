import { sql, type Kysely } from 'kysely';

/**
 * Log drains (issue 30): a project's build and runtime lines sent on to a syslog or HTTPS receiver.
 * The lines stay in deployment_logs; a drain keeps, per deployment, the last seq its receiver took
 * (log_drain_cursors), so delivery is at least once, in order, and survives a worker's restart. The
 * lease columns let one worker at a time deliver a drain; a drain that keeps failing is `paused` and
 * tried again later (retry_at), with its last error shown.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table log_drains (
      id text primary key,
      project text not null references projects(name) on delete cascade,
      url text not null,
      secret_sealed text,
      status text not null default 'active' check (status in ('active', 'paused')),
      failures integer not null default 0,
      last_error text,
      retry_at timestamptz,
      lease_owner text,
      lease_until timestamptz,
      delivered_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index log_drains_project on log_drains (project)`.execute(db);
  await sql`
    create table log_drain_cursors (
      drain_id text not null references log_drains(id) on delete cascade,
      deployment_id text not null references deployments(id) on delete cascade,
      last_seq bigint not null,
      primary key (drain_id, deployment_id)
    )`.execute(db);
  await sql`create index log_drain_cursors_deployment on log_drain_cursors (deployment_id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
