import { sql, type Kysely } from 'kysely';

/**
 * Process types (issue 28, item 3):
 * - deployments.processes: the release's process types ({ type: command }, berth.json's `processes`
 *   or a Procfile; a rollback takes its release's); null when it has none (the image's own command).
 * - projects.process_counts: how many containers each non-web type runs ({ worker: 2 }); a type
 *   not in it runs one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('deployments').addColumn('processes', 'jsonb').execute();
  await db.schema
    .alterTable('projects')
    .addColumn('process_counts', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
