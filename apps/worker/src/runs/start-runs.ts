import { Queue, type Worker } from 'bullmq';
import { jobSchedulerId, runQueueName } from '@berth/shared/jobs';
import { onOwnConnection } from '@berth/shared/own-connection';
import { queuePrefix } from '@berth/shared/redis-keys';
import { JobStore } from '@berth/shared/job-store';
import type { Opened } from '@berth/shared/program-lifecycle';
import { RunLogStore } from '@berth/shared/run-log-store';
import { RunStore } from '@berth/shared/run-store';
import { ServiceStore } from '@berth/shared/service-store';
import { VolumeStore } from '@berth/shared/volume-store';
import { closeWithinGrace } from '../deployment-job-worker.ts';
import { hostDocker, type PipelineParts } from '../worker-parts.ts';
import { createRunQueueWorker } from './run-queue-worker.ts';
import { everySharedTick } from '@berth/shared/shared-ticker';

/**
 * The worker's part that executes one-off runs and scheduled jobs' ticks (the runs queue), and
 * sweeps, each REAPER_INTERVAL_MS, runs left `running` well past their timeout (a worker that
 * died whose BullMQ job was not taken over): recorded failed.
 */
export async function startRuns(parts: PipelineParts, opened: Opened): Promise<Worker> {
  const { config, db, logger } = parts;
  const runs = new RunStore(db);
  const queue = onOwnConnection(config.REDIS_URL, (connection) => new Queue(runQueueName, { connection, prefix: queuePrefix(config.BERTH_INSTANCE) }));
  queue.on('error', (err) => logger.warn({ err }, 'runs queue connection error'));
  opened('runs queue', () => queue.close().catch(() => {}));
  const worker = createRunQueueWorker({
    ...parts,
    docker: hostDocker(),
    runs,
    runLogs: new RunLogStore(db),
    jobs: new JobStore(db),
    volumes: new VolumeStore(db),
    services: new ServiceStore(db, parts.secrets),
    removeSchedule: (jobId) => queue.removeJobScheduler(jobSchedulerId(jobId)),
  });
  opened('run worker', () => closeWithinGrace(worker, config.SHUTDOWN_GRACE_MS, logger));
  await worker.waitUntilReady();
  const sweep = () =>
    void runs
      .failStranded(config.JOB_LOCK_MS * 4)
      .then((n) => n > 0 && logger.warn({ runs: n }, 'recorded runs failed whose worker stopped'))
      .catch((err: unknown) => logger.warn({ err }, 'sweeping stranded runs failed'));
  const stopTicking = everySharedTick(config.REAPER_INTERVAL_MS, sweep);
  opened('stranded run sweep', async () => stopTicking());
  return worker as unknown as Worker;
}
