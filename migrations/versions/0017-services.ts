import { sql, type Kysely } from 'kysely';

/**
 * Managed databases next to a project's apps (issue 29): one row per service (Postgres or Redis).
 * - id names its Docker parts: container `berth-<instance>-svc-<id>`, data volume `…-svcdata-<id>`.
 * - image is the image it runs (BERTH_POSTGRES_IMAGE / BERTH_REDIS_IMAGE, its tag the version asked for).
 * - env_name: the variable the project's apps get the connection URL in; previews: previews get it too.
 * - password_sealed: the generated password, sealed like env (secret-box.ts, place `project:<p>:service:<name>`).
 * - status, restarts, status_message: as the workers last saw the container; bytes_used/measured_at: its volume.
 * - delete_requested/delete_data: a DELETE the workers carry out (container gone; the volume too when delete_data).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('services')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project', 'text', (c) => c.notNull().references('projects.name').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('postgres', 'redis')`))
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('image', 'text', (c) => c.notNull())
    .addColumn('env_name', 'text', (c) => c.notNull())
    .addColumn('previews', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('password_sealed', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('creating'))
    .addColumn('status_message', 'text')
    .addColumn('restarts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('bytes_used', 'bigint')
    .addColumn('measured_at', 'timestamptz')
    .addColumn('delete_requested', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('delete_data', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('services_project_name_key', ['project', 'name'])
    .addUniqueConstraint('services_project_env_name_key', ['project', 'env_name'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
