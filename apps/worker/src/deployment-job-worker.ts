import { DelayedError, UnrecoverableError, Worker } from 'bullmq';
import { isBerthError } from '@berth/shared/errors';
import { deploymentQueueName, type DeploymentJobData } from '@berth/shared/jobs';
import type { Logger } from '@berth/shared/logger';
import { onOwnConnection } from '@berth/shared/own-connection';
import { queuePrefix } from '@berth/shared/redis-keys';
import type { WorkerConfig } from './config.ts';
import { DeploymentFailedError, ProjectBusy, shutdownReason } from './attempt-outcomes.ts';
import type { DeploymentRunner } from './deployment-runner.ts';
import { jobLocks } from './job-locks.ts';
import { idleDrainDelaySeconds } from './queue-waits.ts';

/**
 * The BullMQ worker that runs deployment jobs; a recorded deployment failure fails the job for good.
 * `running` holds the deployments whose jobs run here now (the heartbeat reports them).
 */
export function createDeploymentWorker(
  config: WorkerConfig,
  runner: DeploymentRunner,
  logger: Logger,
  running: Set<string> = new Set(),
): Worker<DeploymentJobData> {
  const locks = jobLocks(config.JOB_LOCK_MS, logger);
  const worker = onOwnConnection(config.REDIS_URL, (connection) => new Worker<DeploymentJobData>(
    deploymentQueueName,
    locks.wrap(async (job, token, signal) => {
      const attempts = job.opts.attempts ?? 1;
      const log = logger.child({ deploymentId: job.data.deploymentId, attempt: job.attemptsMade + 1 });
      log.info('deployment job started');
      running.add(job.data.deploymentId);
      try {
        await runner.run(job.data.deploymentId, {
          signal: signal ?? new AbortController().signal,
          lastAttempt: job.attemptsMade + 1 >= attempts,
        });
        log.info('deployment job finished');
      } catch (err) {
        if (err instanceof ProjectBusy && token) {
          // One build per project: wait (without using up an attempt) and ask again.
          log.info({ project: err.project }, 'another deployment of the project is being built; waiting');
          await job.moveToDelayed(Date.now() + config.PROJECT_BUSY_RETRY_MS, token);
          throw new DelayedError();
        }
        log.warn({ err }, 'deployment job failed');
        // The deployment is final (its failure recorded): another attempt could only find it so.
        if (err instanceof DeploymentFailedError) throw new UnrecoverableError(err.message);
        if (isBerthError(err) && !err.retryable) throw new UnrecoverableError(err.message);
        throw err;
      } finally {
        running.delete(job.data.deploymentId);
      }
    }),
    {
      connection,
      prefix: queuePrefix(config.BERTH_INSTANCE),
      concurrency: config.WORKER_CONCURRENCY,
      ...locks.options,
      stalledInterval: config.JOB_STALLED_INTERVAL_MS,
      maxStalledCount: 2,
      drainDelay: idleDrainDelaySeconds,
    },
  ));
  worker.on('error', (err) => logger.error({ err }, 'worker error'));
  return worker;
}

/** Stops taking jobs and lets running ones finish within the grace period; then hands them back. */
export async function closeWithinGrace<T>(worker: Worker<T>, graceMs: number, logger: Logger): Promise<void> {
  const closing = worker.close();
  const within = (ms: number) =>
    Promise.race([closing.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), ms).unref())]);
  if (await within(graceMs)) return;
  // Abort them: each cleans up and fails its attempt, so BullMQ gives the job to another worker.
  logger.warn('grace period over; handing running jobs back');
  worker.cancelAllJobs(shutdownReason);
  if (!(await within(10_000))) await worker.close(true);
}
