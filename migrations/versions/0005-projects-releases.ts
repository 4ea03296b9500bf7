import { sql, type Kysely } from 'kysely';

/**
 * Projects with settings and sealed env, releases and custom domains.
 * - projects: an id, the git settings a deploy of the project builds from,
 *   the health path a release must answer before it takes the project URL,
 *   and env/buildEnv sealed with BERTH_SECRET_KEY (AES-256-GCM; never stored
 *   in the clear).
 * - deployments: the commit a git source resolved to; whether it takes the
 *   project URL when healthy (`promote`: false = preview); its health path;
 *   its own sealed env snapshot (rollback runs a release with the env it was
 *   made with); `release_of` for a release started from another's image
 *   (rollback without a rebuild); `retired_at`, when the project URL moved
 *   away from it (it drains, then stops); `image_bytes` for disk accounting.
 *   Rows made before sealing keep their plain `env` (read as a fallback).
 * - domains: hostnames routed to a project's current release over HTTPS.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('projects')
    .addColumn('id', 'text')
    .addColumn('git_url', 'text')
    .addColumn('git_ref', 'text')
    .addColumn('root_dir', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('port', 'integer')
    .addColumn('health_path', 'text', (c) => c.notNull().defaultTo('/'))
    .addColumn('env_sealed', 'text')
    .addColumn('build_env_sealed', 'text')
    .execute();
  await sql`update projects set id = 'prj' || substr(md5(name), 1, 13) where id is null`.execute(db);
  await sql`alter table projects alter column id set not null`.execute(db);
  await db.schema.alterTable('projects').addUniqueConstraint('projects_id_key', ['id']).execute();

  await db.schema
    .alterTable('deployments')
    .addColumn('commit_sha', 'text')
    .addColumn('promote', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('health_path', 'text', (c) => c.notNull().defaultTo('/'))
    .addColumn('env_sealed', 'text')
    .addColumn('build_env_sealed', 'text')
    .addColumn('release_of', 'text', (c) => c.references('deployments.id').onDelete('set null'))
    .addColumn('retired_at', 'timestamptz')
    .addColumn('image_bytes', 'bigint')
    .execute();
  await db.schema.createIndex('deployments_project_idx').on('deployments').columns(['project', 'created_at']).execute();

  await db.schema
    .createTable('domains')
    .addColumn('hostname', 'text', (c) => c.primaryKey())
    .addColumn('project', 'text', (c) => c.notNull().references('projects.name').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('domains_project_idx').on('domains').column('project').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
