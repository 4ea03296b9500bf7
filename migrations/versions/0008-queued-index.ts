import { sql, type Kysely } from 'kysely';

/**
 * The queue position a queued deployment's view shows counts the queued
 * deployments created before it. With thousands queued that count read the
 * status index and every row; a partial index of only the queued ones, in
 * queue order, makes it a short index scan (bench:api, GET of a queued
 * deployment).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX deployments_queued_idx ON deployments (created_at, id) WHERE status = 'queued'`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
