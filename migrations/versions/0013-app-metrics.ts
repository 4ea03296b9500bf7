import { sql, type Kysely } from 'kysely';

/**
 * What each app uses (issue 30): one row per running container per sample,
 * written by the worker that owns the Docker host. Counters are stored as
 * Docker reports them (cumulative CPU nanoseconds, network bytes): rates are
 * computed when read, so a missed sample loses nothing but resolution.
 * Rows go when their deployment goes, or after APP_METRICS_RETENTION_DAYS.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('app_metric_samples')
    .addColumn('deployment_id', 'text', (c) => c.notNull().references('deployments.id').onDelete('cascade'))
    .addColumn('container', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('cpu_ns', 'bigint', (c) => c.notNull())
    .addColumn('memory_bytes', 'bigint', (c) => c.notNull())
    .addColumn('memory_limit_bytes', 'bigint', (c) => c.notNull())
    .addColumn('net_rx_bytes', 'bigint', (c) => c.notNull())
    .addColumn('net_tx_bytes', 'bigint', (c) => c.notNull())
    .addColumn('restarts', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('app_metric_samples_pk', ['deployment_id', 'container', 'at'])
    .execute();
  await sql`create index app_metric_samples_at on app_metric_samples (at)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
