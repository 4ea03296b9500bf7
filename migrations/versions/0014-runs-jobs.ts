import { sql, type Kysely } from 'kysely';

/**
 * Commands run once in a project's current release image (issue 28):
 * - jobs: a project's scheduled commands (cron `schedule`, 5 or 6 fields, in `timezone`); each has
 *   a BullMQ job scheduler that enqueues its ticks (one per tick however many workers run).
 * - runs: every run of a command, one-off (`kind` one-off, POST /runs) or of a job (`kind` job,
 *   job_id set): status, exit code, the release (deployment) whose image it ran in. A partial
 *   unique index keeps at most one queued or running run per job: a tick that finds one is
 *   recorded as skipped, never run beside it.
 * - run_logs: a run's output, numbered like deployment_logs (exactly once, streamed by SSE).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project', 'text', (c) => c.notNull().references('projects.name').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('schedule', 'text', (c) => c.notNull())
    .addColumn('command', 'text', (c) => c.notNull())
    .addColumn('timeout_seconds', 'integer')
    .addColumn('timezone', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('jobs_project_name_key', ['project', 'name'])
    .execute();
  await db.schema
    .createTable('runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project', 'text', (c) => c.notNull().references('projects.name').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('one-off', 'job')`))
    .addColumn('job_id', 'text', (c) => c.references('jobs.id').onDelete('cascade'))
    .addColumn('command', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('queued', 'running', 'succeeded', 'failed', 'canceled', 'skipped')`))
    .addColumn('exit_code', 'integer')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('deployment_id', 'text')
    .addColumn('timeout_ms', 'integer', (c) => c.notNull())
    .addColumn('cancel_requested', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('worker', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await sql`create index runs_project_created on runs (project, created_at desc)`.execute(db);
  await sql`create index runs_job_created on runs (job_id, created_at desc) where job_id is not null`.execute(db);
  await sql`create unique index runs_one_active_per_job on runs (job_id) where job_id is not null and status in ('queued', 'running')`.execute(db);
  await db.schema
    .createTable('run_logs')
    .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('ts', 'timestamptz', (c) => c.notNull())
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('line', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('run_logs_pk', ['run_id', 'seq'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
