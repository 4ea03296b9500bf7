import type { Kysely } from 'kysely';

/**
 * Previews are not production (issue 25): a project's previews (deployments
 * made with promote=false, such as a branch push) run with an env of their
 * own, not the project's.
 * - projects.preview_env_sealed / preview_build_env_sealed: the previews' env
 *   and build env, sealed like env_sealed (SecretBox).
 * - projects.previews_inherit_env: when true, a preview gets the project's
 *   env (and build env) with the preview ones on top; false (the default) it
 *   gets the preview ones only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('projects')
    .addColumn('preview_env_sealed', 'text')
    .addColumn('preview_build_env_sealed', 'text')
    .addColumn('previews_inherit_env', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
