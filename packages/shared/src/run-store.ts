import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Transaction } from 'kysely';
import type { Database, Db, DeploymentRow, RunRow, RunStatus } from './db.ts';
import { BerthError } from './errors.ts';
import { recordWebhookEvent } from './webhook-outbox.ts';

/** Postgres' code for a unique violation: here, a job's run already queued or running. */
const uniqueViolation = '23505';

/** `run` and 12 lowercase alphanumerics: a valid BullMQ job id and Docker name fragment. */
export function newRunId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return 'run' + [...randomBytes(12)].map((b) => alphabet[b % 36]).join('');
}

export const finalRunStatuses: readonly RunStatus[] = ['succeeded', 'failed', 'canceled', 'skipped'];
export const isFinalRun = (status: RunStatus): boolean => finalRunStatuses.includes(status);

export interface NewRun {
  project: string;
  command: string;
  /** The release whose image and env it runs with (the project's current one when it was asked for); null when there is none (then it is failed at once). */
  deploymentId: string | null;
  timeoutMs: number;
  /** A job's run: at most one queued or running per job (else it is recorded as skipped). */
  jobId?: string;
}

export interface RunEnd {
  status: Extract<RunStatus, 'succeeded' | 'failed' | 'canceled'>;
  exitCode?: number | null;
  errorCode?: string | null;
  errorMessage?: string | null;
}

/** Runs of commands in a project's release image: one-off runs and jobs' ticks (migrations/versions/0014-runs-jobs.ts). */
export class RunStore {
  constructor(private readonly db: Db) {}

  /**
   * A queued run. A job's run when another of the same job is queued or running: a `skipped` run
   * instead (the unique index decides, so two workers' ticks cannot both get through).
   */
  async create(run: NewRun): Promise<RunRow> {
    const row = {
      id: newRunId(),
      project: run.project,
      kind: run.jobId ? ('job' as const) : ('one-off' as const),
      job_id: run.jobId ?? null,
      command: run.command,
      deployment_id: run.deploymentId,
      timeout_ms: run.timeoutMs,
    };
    try {
      return await this.db.insertInto('runs').values({ ...row, status: 'queued' }).returningAll().executeTakeFirstOrThrow();
    } catch (err) {
      if ((err as { code?: string }).code !== uniqueViolation || !run.jobId) throw err;
      const message = 'the previous run of this job was still going';
      return this.db
        .insertInto('runs')
        .values({ ...row, id: newRunId(), status: 'skipped', error_message: message, finished_at: new Date() })
        .returningAll()
        .executeTakeFirstOrThrow();
    }
  }

  /**
   * The project's current release, what a run uses: NOT_FOUND without the project, NO_RELEASE
   * when it has none or that one has no image.
   */
  async currentRelease(project: string): Promise<DeploymentRow> {
    const row = await this.db.selectFrom('projects').select('current_deployment_id').where('name', '=', project).executeTakeFirst();
    if (!row) throw new BerthError('NOT_FOUND', `project ${project} does not exist`);
    const release = row.current_deployment_id
      ? await this.db.selectFrom('deployments').selectAll().where('id', '=', row.current_deployment_id).executeTakeFirst()
      : undefined;
    if (!release?.image) throw new BerthError('NO_RELEASE', `project ${project} has no release to run in yet; deploy it first`);
    return release;
  }

  async get(id: string): Promise<RunRow | undefined> {
    return this.db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** NOT_FOUND unless the run exists and belongs to the project. */
  async load(project: string, id: string): Promise<RunRow> {
    const row = await this.get(id);
    if (!row || row.project !== project) throw new BerthError('NOT_FOUND', `run ${id} does not exist in project ${project}`);
    return row;
  }

  /** Newest first; a job's runs only when `jobId` is given. NOT_FOUND without the project. */
  async list(project: string, options: { jobId?: string; limit?: number } = {}): Promise<RunRow[]> {
    const exists = await this.db.selectFrom('projects').select('name').where('name', '=', project).executeTakeFirst();
    if (!exists) throw new BerthError('NOT_FOUND', `project ${project} does not exist`);
    let q = this.db.selectFrom('runs').selectAll().where('project', '=', project);
    if (options.jobId) q = q.where('job_id', '=', options.jobId);
    return q.orderBy('created_at', 'desc').orderBy('id').limit(options.limit ?? 50).execute();
  }

  /**
   * Takes a queued run for this worker; undefined when it is not queued (already taken: a worker
   * that crashed mid-run left it `running`, or it was canceled while it waited).
   */
  async start(id: string, worker: string): Promise<RunRow | undefined> {
    return this.db
      .updateTable('runs')
      .set({ status: 'running', worker, started_at: new Date() })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .where('cancel_requested', '=', false)
      .returningAll()
      .executeTakeFirst();
  }

  /** Records how a run ended (a run already final keeps its end); a job's failed run sends `job.failed` in the same transaction. */
  async finish(id: string, end: RunEnd): Promise<RunRow | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('runs')
        .set({ status: end.status, exit_code: end.exitCode ?? null, error_code: end.errorCode ?? null, error_message: end.errorMessage ?? null, finished_at: new Date() })
        .where('id', '=', id)
        .where('status', 'in', ['queued', 'running'])
        .returningAll()
        .executeTakeFirst();
      if (row?.kind === 'job' && row.status === 'failed') await recordWebhookEvent(trx, row.project, 'job.failed', await jobRunPayload(trx, row));
      return row;
    });
  }

  /** A queued run is canceled at once; a running one is marked, and its worker stops it. CONFLICT once it ended. */
  async requestCancel(project: string, id: string): Promise<RunRow> {
    const run = await this.load(project, id);
    if (isFinalRun(run.status)) throw new BerthError('CONFLICT', `run ${id} already ended (${run.status})`);
    const canceled = await this.db
      .updateTable('runs')
      .set({ status: 'canceled', error_code: 'CANCELED', error_message: 'canceled before it started', finished_at: new Date() })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .returningAll()
      .executeTakeFirst();
    if (canceled) return canceled;
    const marked = await this.db
      .updateTable('runs')
      .set({ cancel_requested: true })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .returningAll()
      .executeTakeFirst();
    return marked ?? this.load(project, id);
  }

  async cancelRequested(id: string): Promise<boolean> {
    const row = await this.db.selectFrom('runs').select('cancel_requested').where('id', '=', id).executeTakeFirst();
    return row?.cancel_requested ?? true;
  }

  /** Runs a worker left `running` longer than `olderThanMs` past their own timeout (its job lost): failed. */
  async failStranded(graceMs: number): Promise<number> {
    const result = await this.db
      .updateTable('runs')
      .set({ status: 'failed', error_code: 'ORPHANED', error_message: 'its worker stopped while it ran', finished_at: new Date() })
      .where('status', '=', 'running')
      .where(sql<boolean>`started_at + (timeout_ms + ${graceMs}) * interval '1 millisecond' < now()`)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}

/** What `job.failed` carries: the run and its job's name. */
async function jobRunPayload(trx: Transaction<Database>, row: RunRow): Promise<Record<string, unknown>> {
  const job = row.job_id ? await trx.selectFrom('jobs').select('name').where('id', '=', row.job_id).executeTakeFirst() : undefined;
  return { ...runView(row), job: job?.name ?? null };
}

/** A run as the API shows it (and `job.failed` sends it). */
export function runView(row: RunRow) {
  return {
    id: row.id,
    project: row.project,
    kind: row.kind,
    command: row.command,
    status: row.status,
    exitCode: row.exit_code,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    deploymentId: row.deployment_id,
    timeoutMs: row.timeout_ms,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}
