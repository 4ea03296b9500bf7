import { sql, type Kysely } from 'kysely';

/**
 * Requests per app (issue 30): router-sync counts Caddy's access log per
 * deployment and writes one row per deployment per interval: status classes
 * and a latency histogram (fixed bounds, so rows add up). Rows go when their
 * deployment goes, or after APP_METRICS_RETENTION_DAYS. Also the 5-minute
 * rollups of both kinds (below).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('app_request_metrics')
    .addColumn('deployment_id', 'text', (c) => c.notNull().references('deployments.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('requests', 'integer', (c) => c.notNull())
    .addColumn('status_2xx', 'integer', (c) => c.notNull())
    .addColumn('status_3xx', 'integer', (c) => c.notNull())
    .addColumn('status_4xx', 'integer', (c) => c.notNull())
    .addColumn('status_5xx', 'integer', (c) => c.notNull())
    .addColumn('latency_counts', sql`integer[]`, (c) => c.notNull())
    .execute();
  // Several routers may write the same deployment and moment: rows add up, so none is unique.
  await sql`create index app_request_metrics_deployment_at on app_request_metrics (deployment_id, at)`.execute(db);
  await sql`create index app_request_metrics_at on app_request_metrics (at)`.execute(db);
  await createRollups(db);
}

/**
 * Downsampling: past a day, the worker moves app samples and request rows to
 * these, one row per 5 minutes (a sample: the last of its 5 minutes, counters
 * being cumulative; requests: the 5 minutes added up), kept for the retention.
 */
async function createRollups(db: Kysely<unknown>): Promise<void> {
  await sql`create table app_metric_rollups (like app_metric_samples including defaults)`.execute(db);
  await sql`alter table app_metric_rollups add constraint app_metric_rollups_pk primary key (deployment_id, container, at),
    add constraint app_metric_rollups_deployment_fk foreign key (deployment_id) references deployments (id) on delete cascade`.execute(db);
  await sql`create index app_metric_rollups_at on app_metric_rollups (at)`.execute(db);
  await sql`create table app_request_rollups (like app_request_metrics including defaults)`.execute(db);
  await sql`alter table app_request_rollups add constraint app_request_rollups_pk primary key (deployment_id, at),
    add constraint app_request_rollups_deployment_fk foreign key (deployment_id) references deployments (id) on delete cascade`.execute(db);
  await sql`create index app_request_rollups_at on app_request_rollups (at)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
