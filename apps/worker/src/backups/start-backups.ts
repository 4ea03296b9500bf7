import { Queue, Worker, type Job, type JobSchedulerJobOptions } from 'bullmq';
import { BackupFiles } from '@berth/shared/backup-files';
import { BackupRetention } from '@berth/shared/backup-retention';
import { BackupStore } from '@berth/shared/backup-store';
import { backupQueueName, backupScheduler, backupSchedulerId, scheduledBackupJobName, type BackupJobData, type ScheduledBackupJobData } from '@berth/shared/jobs';
import type { Opened } from '@berth/shared/program-lifecycle';
import { onOwnConnection } from '@berth/shared/own-connection';
import { queuePrefix } from '@berth/shared/redis-keys';
import { ServiceStore } from '@berth/shared/service-store';
import { closeWithinGrace } from '../deployment-job-worker.ts';
import { hostDocker, type PipelineParts } from '../worker-parts.ts';
import { carryOutBackup, scheduledBackup, type BackupSchedules, type BackupTick } from './backup-runner.ts';
import { sweepBackups } from './backup-sweep.ts';
import { runEvery } from '../run-every.ts';
import { jobLocks } from '../job-locks.ts';
import { idleDrainDelaySeconds } from '../queue-waits.ts';

/**
 * The worker's part that carries out service backups and restores (the backups queue; the API
 * records each and enqueues it, at most one queued or running per service) and services'
 * scheduled backups (each tick of a service's job scheduler). BACKUP_CONCURRENCY at
 * once per worker. BullMQ hands a dead worker's job to another, which records it failed (ORPHANED).
 */
export async function startBackups(parts: PipelineParts, opened: Opened): Promise<void> {
  const { config, db, logger, secrets } = parts;
  const deps = {
    docker: hostDocker(),
    backups: new BackupStore(db),
    services: new ServiceStore(db, secrets),
    files: new BackupFiles(config.BACKUP_DIR),
    secrets,
    instance: config.BERTH_INSTANCE,
    keep: config.BACKUPS_KEPT,
    timeoutMs: config.BACKUP_TIMEOUT_MS,
    minIntervalMs: config.BACKUP_MIN_INTERVAL_MS,
    logger,
  };
  startSweep(parts, deps.files, opened);
  const queue = onOwnConnection(config.REDIS_URL, (connection) => new Queue(backupQueueName, { connection, prefix: queuePrefix(config.BERTH_INSTANCE) }));
  queue.on('error', (err) => logger.warn({ err }, 'backups queue connection error'));
  opened('backups queue', () => queue.close().catch(() => {}));
  const schedules: BackupSchedules = {
    remove: (serviceId) => queue.removeJobScheduler(backupSchedulerId(serviceId)),
    set: (serviceId, schedule) => queue.upsertJobScheduler(...backupScheduler(serviceId, schedule)),
  };
  const handle = async (job: Job<BackupJobData | ScheduledBackupJobData>) =>
    job.name === scheduledBackupJobName ? scheduledBackup(deps, tickOf(job as Job<ScheduledBackupJobData>), schedules) : carryOutBackup(deps, (job.data as BackupJobData).backupId);
  const locks = jobLocks(config.JOB_LOCK_MS, logger);
  const worker = onOwnConnection(config.REDIS_URL, (connection) => new Worker<BackupJobData | ScheduledBackupJobData>(backupQueueName, locks.wrap(handle), {
    connection,
    prefix: queuePrefix(config.BERTH_INSTANCE),
    concurrency: config.BACKUP_CONCURRENCY,
    ...locks.options,
    stalledInterval: config.JOB_STALLED_INTERVAL_MS,
    maxStalledCount: 1,
    drainDelay: idleDrainDelaySeconds,
  }));
  worker.on('error', (err) => logger.error({ err }, 'backup worker error'));
  opened('backup worker', () => closeWithinGrace(worker, config.SHUTDOWN_GRACE_MS, logger));
  await worker.waitUntilReady();
}

/** The backup store's sweep (backup-sweep.ts) now and every BACKUP_SWEEP_INTERVAL_MS. */
function startSweep({ config, db, logger }: PipelineParts, files: BackupFiles, opened: Opened): void {
  const deps = { retention: new BackupRetention(db), files, maxAgeMs: config.BACKUPS_MAX_AGE_DAYS * 86_400_000, logger };
  runEvery('backup sweep', config.BACKUP_SWEEP_INTERVAL_MS, () => sweepBackups(deps), { opened, logger });
}

/** A scheduler's tick job: its service, and the pattern and zone that fired it (BullMQ copies the scheduler's repeat options into each job). */
export function tickOf(job: Pick<Job<ScheduledBackupJobData>, 'data' | 'opts'>): BackupTick {
  const repeat = (job.opts as JobSchedulerJobOptions).repeat;
  return { serviceId: job.data.serviceId, pattern: repeat?.pattern, tz: repeat?.tz };
}
