import { sql, type Kysely } from 'kysely';

/**
 * Requests per app (issue 30): router-sync counts Caddy's access log per
 * deployment and writes one row per deployment per interval: status classes
 * and a latency histogram (fixed bounds, so rows add up). Rows go when their
 * deployment goes, or after APP_METRICS_RETENTION_DAYS.
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
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
