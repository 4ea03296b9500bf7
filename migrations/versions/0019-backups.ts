import { sql, type Kysely } from 'kysely';

/**
 * Backups of a project's managed services and restores from them (issue 29): one row per operation.
 * - kind `backup`: a dump taken into the backup store (BACKUP_DIR, file `<project>/<id>.bkp`);
 *   kind `restore`: backup_id's dump put back into the service.
 * - service_id: the service it was taken of or restores into (no foreign key: a backup outlives
 *   its service's row, and a service made again under the same name is another service).
 * - status queued → running → succeeded | failed (error_code, error_message say why); bytes: the
 *   stored file's size. A partial unique index keeps at most one queued or running operation per
 *   service: a second one is refused, never run beside it.
 * - services.backup_schedule: a service's backup schedule (cron, UTC; null: on demand only); its
 *   BullMQ job scheduler on the backups queue enqueues each tick.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('backups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project', 'text', (c) => c.notNull().references('projects.name').onDelete('cascade'))
    .addColumn('service_id', 'text', (c) => c.notNull())
    .addColumn('service_name', 'text', (c) => c.notNull())
    .addColumn('service_type', 'text', (c) => c.notNull().check(sql`service_type in ('postgres', 'redis')`))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('backup', 'restore')`))
    .addColumn('backup_id', 'text', (c) => c.references('backups.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('queued', 'running', 'succeeded', 'failed')`))
    .addColumn('bytes', 'bigint')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await sql`create index backups_service_created on backups (service_id, created_at desc)`.execute(db);
  await db.schema.alterTable('services').addColumn('backup_schedule', 'text').execute();
  await sql`create unique index backups_one_active_per_service on backups (service_id) where status in ('queued', 'running')`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
