import { sql, type Kysely } from 'kysely';

/**
 * Swarm mode (issue 28): a project volume is a local volume on one node, and every task that
 * mounts it is placed there. `node_id` is that node's swarm id, recorded by the worker that first
 * starts a release with it (null: not used in swarm mode yet; docker mode never sets it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table volumes add column node_id text`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
