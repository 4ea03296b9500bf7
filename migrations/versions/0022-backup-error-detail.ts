import type { Kysely } from 'kysely';

/**
 * A failed backup's or restore's detail (issue 29): the tool's last stderr lines (pg_dump,
 * pg_restore, redis-cli), which may quote the service's data (a row's values in a constraint
 * error). error_message stays a readable sentence without them, which every reader of the project
 * sees; error_detail only the callers who may read the project's secrets.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('backups').addColumn('error_detail', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
