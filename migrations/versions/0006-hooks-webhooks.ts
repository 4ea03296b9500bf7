import { sql, type Kysely } from 'kysely';

/**
 * Deploy on push and outgoing webhooks.
 * - projects: the sealed secret that signs its incoming git hooks.
 * - deployments: the branch a push deployed (null: the production lane), and
 *   the commit's author and message from the event.
 * - hook_deliveries: incoming deliveries seen (a replayed delivery id is refused).
 * - webhooks / webhook_deliveries: outgoing webhooks and every delivery, written
 *   in the same transaction as the change it reports (an outbox: a delivery
 *   exists exactly when its event happened), then sent by workers.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('projects').addColumn('hook_secret_sealed', 'text').execute();
  await db.schema
    .alterTable('deployments')
    .addColumn('branch', 'text')
    .addColumn('commit_author', 'text')
    .addColumn('commit_message', 'text')
    .execute();
  await db.schema.createIndex('deployments_project_branch_idx').on('deployments').columns(['project', 'branch', 'created_at']).execute();

  await db.schema
    .createTable('hook_deliveries')
    .addColumn('project', 'text', (c) => c.notNull().references('projects.name').onDelete('cascade'))
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('hook_deliveries_pkey', ['project', 'delivery_id'])
    .execute();

  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project', 'text', (c) => c.notNull().references('projects.name').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('events', sql`text[]`, (c) => c.notNull())
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('webhooks_project_idx').on('webhooks').column('project').execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('webhook_id', 'text', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'succeeded', 'failed')`))
    .addColumn('enqueued', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('duration_ms', 'integer')
    .addColumn('redelivery_of', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('webhook_deliveries_webhook_idx').on('webhook_deliveries').columns(['webhook_id', 'created_at']).execute();
  await sql`create index webhook_deliveries_unsent_idx on webhook_deliveries (created_at) where not enqueued`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
