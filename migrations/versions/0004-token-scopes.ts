import { sql, type Kysely } from 'kysely';

/**
 * Token scopes: `admin` (tokens and everything), `deploy` (create, cancel,
 * delete deployments, plus read), `read` (lists, logs, events). Tokens made
 * before scopes existed were all-powerful, so they stay `admin`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('api_tokens')
    .addColumn('scope', 'text', (c) =>
      c.notNull().defaultTo('admin').check(sql`scope in ('admin', 'deploy', 'read')`),
    )
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
