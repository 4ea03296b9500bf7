import { sql, type Kysely } from 'kysely';

/**
 * Which worker follows a running deployment's output (issue 32, the soak): the Redis lease says who
 * should follow, this row fences the storing. A follower stores its runtime lines only while the row
 * names it (the insert takes a share lock on the row), so a follower that lost its lease (Redis lost
 * its data, a long pause) can no longer store a line after its successor read where to resume: the
 * successor's claim waits for an insert in flight, and an insert after the claim stores nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table runtime_log_followers (
      deployment_id text primary key references deployments(id) on delete cascade,
      follower text not null,
      claimed_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
