import { sql, type Kysely } from 'kysely';

/**
 * Apps that keep data and prepare their release (issue 28):
 * - volumes: a project's named Docker volumes (`berth-<instance>-vol-<id>`), mounted read-write at
 *   mount_path into each of its production releases. bytes_used/measured_at are the workers'
 *   latest measurement (null until the first).
 * - projects.deploy_strategy: start-first (the new release starts, then the old stops) or
 *   stop-first (the old stops first: one process at a time on the volume, a gap in between).
 * - projects.preview_volumes: previews get volumes of their own (one per preview, empty at first).
 * - projects.release_command: run once in the new image before the URL moves (berth.json's
 *   `release` when null).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('volumes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project', 'text', (c) => c.notNull().references('projects.name').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mount_path', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('bytes_used', 'bigint')
    .addColumn('measured_at', 'timestamptz')
    .addUniqueConstraint('volumes_project_name_key', ['project', 'name'])
    .addUniqueConstraint('volumes_project_mount_key', ['project', 'mount_path'])
    .execute();
  await db.schema
    .alterTable('projects')
    .addColumn('deploy_strategy', 'text', (c) => c.notNull().defaultTo('start-first').check(sql`deploy_strategy in ('start-first', 'stop-first')`))
    .addColumn('release_command', 'text')
    .addColumn('preview_volumes', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
