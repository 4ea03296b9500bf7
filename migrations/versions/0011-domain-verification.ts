import { sql, type Kysely } from 'kysely';

/**
 * Proof of ownership for custom domains (issue 24, door 10): a domain is
 * routed, and gets a certificate, only once its project has shown it controls
 * the name's DNS (a TXT record `_berth-challenge.<hostname>` holding the
 * domain's token), or an operator turned verification off.
 * - domains.verification_token: what the TXT record must hold (null for names
 *   verified when added).
 * - domains.verified_at: when the proof was seen; null while pending. Names
 *   registered before this version were already served: they count as
 *   verified (remove and add one again to have it proven).
 * - A pending name no longer blocks other projects (otherwise anyone could
 *   squat a name its real owner then cannot add): the key is (hostname,
 *   project), and only one project may have a name *verified*.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('domains')
    .addColumn('verification_token', 'text')
    .addColumn('verified_at', 'timestamptz')
    .execute();
  await sql`update domains set verified_at = created_at`.execute(db);
  await sql`alter table domains drop constraint domains_pkey, add primary key (hostname, project)`.execute(db);
  await sql`create unique index domains_verified_hostname on domains (hostname) where verified_at is not null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
