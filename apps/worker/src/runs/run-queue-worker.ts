import type Docker from 'dockerode';
import { Worker, type Job } from 'bullmq';
import { isBerthError } from '@berth/shared/errors';
import { runContainerName } from '@berth/shared/docker-names';
import { runQueueName, tickJobName, type RunJobData, type TickJobData } from '@berth/shared/jobs';
import type { JobStore } from '@berth/shared/job-store';
import { onOwnConnection } from '@berth/shared/own-connection';
import { queuePrefix } from '@berth/shared/redis-keys';
import type { RunStore } from '@berth/shared/run-store';
import { removeWhenFree } from '../docker/docker-errors.ts';
import { executeRun, type RunExecutorDeps } from './run-executor.ts';
import { jobLocks } from '../job-locks.ts';
import { idleDrainDelaySeconds } from '../queue-waits.ts';

export interface RunQueueDeps extends RunExecutorDeps {
  runs: Pick<RunStore, 'start' | 'finish' | 'cancelRequested' | 'get' | 'create' | 'currentRelease'>;
  jobs: Pick<JobStore, 'get'>;
  /** Removes a job scheduler whose job is gone (its project or itself deleted while Redis was away, or by cascade). */
  removeSchedule: (jobId: string) => Promise<unknown>;
}

/**
 * The BullMQ worker of the runs queue: a `run` job executes a recorded run; a `tick` (made by a
 * job's scheduler, once per tick whichever worker takes it) records the job's run, or a skipped
 * one while the previous still goes, and executes it. BullMQ hands a dead worker's job to
 * another (its lock expires): that one finds the run `running` and records it failed
 * (ORPHANED), so no run stays running forever and none is run twice.
 */
export function createRunQueueWorker(deps: RunQueueDeps): Worker<RunJobData | TickJobData> {
  const { config, logger } = deps;
  const locks = jobLocks(config.JOB_LOCK_MS, logger);
  const worker = onOwnConnection(config.REDIS_URL, (connection) => new Worker<RunJobData | TickJobData>(
    runQueueName,
    locks.wrap(async (job) => {
      if (job.name === tickJobName) await tick(deps, job as Job<TickJobData>);
      else await runOrTakeOver(deps, (job.data as RunJobData).runId);
    }),
    {
      connection,
      prefix: queuePrefix(config.BERTH_INSTANCE),
      concurrency: config.RUN_CONCURRENCY,
      ...locks.options,
      stalledInterval: config.JOB_STALLED_INTERVAL_MS,
      maxStalledCount: 2,
      drainDelay: idleDrainDelaySeconds,
    },
  ));
  worker.on('error', (err) => logger.error({ err }, 'run worker error'));
  worker.on('failed', (job, err) => logger.warn({ err, job: job?.id }, 'run job failed'));
  return worker;
}

async function runOrTakeOver(deps: RunQueueDeps, runId: string): Promise<void> {
  if (await executeRun(deps, runId)) return;
  const run = await deps.runs.get(runId);
  if (run?.status !== 'running') return;
  // Taken over: the worker that started it is gone (its BullMQ lock expired). Its container may still run here.
  await removeRunContainer(deps.docker, runContainerName(deps.config.BERTH_INSTANCE, runId));
  await deps.runs.finish(runId, { status: 'failed', errorCode: 'ORPHANED', errorMessage: 'the worker running it stopped' });
  deps.logger.warn({ runId, worker: run.worker }, 'took over a run whose worker stopped: recorded failed');
}

async function tick(deps: RunQueueDeps, job: Job<TickJobData>): Promise<void> {
  if (job.data.runId) return runOrTakeOver(deps, job.data.runId);
  const row = await deps.jobs.get(job.data.jobId);
  if (!row) {
    await deps.removeSchedule(job.data.jobId);
    return;
  }
  const timeoutMs = (row.timeout_seconds ?? 3600) * 1000;
  const base = { project: row.project, command: row.command, timeoutMs, jobId: row.id };
  let deploymentId: string | null = null;
  let noRelease: string | undefined;
  try {
    deploymentId = (await deps.runs.currentRelease(row.project)).id;
  } catch (err) {
    if (!isBerthError(err)) throw err;
    noRelease = err.message;
  }
  const run = await deps.runs.create({ ...base, deploymentId });
  if (run.status === 'skipped') return;
  if (noRelease) {
    await deps.runs.finish(run.id, { status: 'failed', errorCode: 'NO_RELEASE', errorMessage: noRelease });
    return;
  }
  await job.updateData({ ...job.data, runId: run.id });
  await runOrTakeOver(deps, run.id);
}

async function removeRunContainer(docker: Docker, name: string): Promise<void> {
  await removeWhenFree(() => docker.getContainer(name).remove({ force: true, v: true }), `container ${name}`, 50).catch(() => {});
}
