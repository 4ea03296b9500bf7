import { sql, type Kysely } from 'kysely';

/**
 * Any app a user brings (issue 27):
 * - deployments.source_type 'image': a prebuilt image, pulled instead of built. source_image is the
 *   reference as asked (a tag or a digest); image_digest the manifest digest the pull got, which is
 *   what runs (a tag moved later changes nothing).
 * - projects.registry_auth_sealed: the credentials its image pulls sign in with (sealed like env).
 * - projects.watch_paths: globs relative to the repository root; a push that changes none of them
 *   builds nothing (null: every push builds). last_skipped_push: the newest such push, shown.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table deployments drop constraint deployments_source_type_check`.execute(db);
  await sql`alter table deployments add constraint deployments_source_type_check check (source_type in ('git', 'archive', 'image'))`.execute(db);
  await db.schema.alterTable('deployments').addColumn('source_image', 'text').addColumn('image_digest', 'text').execute();
  await db.schema
    .alterTable('projects')
    .addColumn('registry_auth_sealed', 'text')
    .addColumn('watch_paths', 'jsonb')
    .addColumn('last_skipped_push', 'jsonb')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
