import { sql, type Kysely } from 'kysely';

/**
 * Postgres says when a webhook delivery is recorded (issue 32, the idle cost): a statement-level
 * trigger sends a notice on `webhook_outbox`, delivered when the recording transaction commits,
 * whichever code wrote the row. Workers listen and sweep the outbox at once; their timed sweep
 * only catches what a lost listening connection missed, so an idle worker no longer queries four
 * times a second.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function webhook_outbox_notice() returns trigger language plpgsql as $$
    begin
      perform pg_notify('webhook_outbox', '');
      return null;
    end $$`.execute(db);
  await sql`
    create trigger webhook_outbox_notice after insert on webhook_deliveries
    for each statement execute function webhook_outbox_notice()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
