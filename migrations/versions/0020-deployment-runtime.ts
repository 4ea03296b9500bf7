import { sql, type Kysely } from 'kysely';

/**
 * Moving an installation between runtimes (issue 26): deployments.runtime says which runtime
 * started a deployment's app ('docker': a container; 'swarm': a service), so a worker of the
 * other runtime leaves it running (its reaper does not take it for gone) until it is moved
 * (`berth migrate-runtime`) or redeployed. Rows started before this column are told apart by
 * their container_id: Docker's container ids are 64 hex digits, Swarm's service ids 25 characters.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('deployments')
    .addColumn('runtime', 'text', (c) => c.check(sql`runtime in ('docker', 'swarm')`))
    .execute();
  await sql`
    update deployments set runtime = case when length(container_id) = 64 then 'docker' else 'swarm' end
    where container_id is not null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
