import { sql, type Kysely } from 'kysely';

/**
 * Replicas: how many copies of a release serve it (Swarm mode; docker mode
 * runs one container, so every value there stays 1).
 * - projects.replicas: what a new release of the project takes.
 * - deployments.replicas: the release's desired count (the worker scales its
 *   service to it, level-triggered). Copied from the project at insert.
 * Zero is not a count: stopping a release is DELETE. The upper bound is
 * configuration (SWARM_MAX_REPLICAS), checked by the API, not here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('projects')
    .addColumn('replicas', 'integer', (c) => c.notNull().defaultTo(1).check(sql`replicas >= 1`))
    .execute();
  await db.schema
    .alterTable('deployments')
    .addColumn('replicas', 'integer', (c) => c.notNull().defaultTo(1).check(sql`replicas >= 1`))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
