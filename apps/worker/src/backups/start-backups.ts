import { Worker } from 'bullmq';
import { BackupFiles } from '@berth/shared/backup-files';
import { BackupStore } from '@berth/shared/backup-store';
import { backupQueueName, type BackupJobData } from '@berth/shared/jobs';
import type { Opened } from '@berth/shared/program-lifecycle';
import { createRedis } from '@berth/shared/redis';
import { queuePrefix } from '@berth/shared/redis-keys';
import { ServiceStore } from '@berth/shared/service-store';
import { closeWithinGrace } from '../deployment-job-worker.ts';
import { hostDocker, type PipelineParts } from '../worker-parts.ts';
import { carryOutBackup } from './backup-runner.ts';

/**
 * The worker's part that carries out service backups and restores (the backups queue; the API
 * records each and enqueues it, at most one queued or running per service). BACKUP_CONCURRENCY at
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
    logger,
  };
  const worker = new Worker<BackupJobData>(backupQueueName, async (job) => carryOutBackup(deps, job.data.backupId), {
    connection: createRedis(config.REDIS_URL),
    prefix: queuePrefix(config.BERTH_INSTANCE),
    concurrency: config.BACKUP_CONCURRENCY,
    lockDuration: config.JOB_LOCK_MS,
    stalledInterval: config.JOB_STALLED_INTERVAL_MS,
    maxStalledCount: 1,
  });
  worker.on('error', (err) => logger.error({ err }, 'backup worker error'));
  opened('backup worker', () => closeWithinGrace(worker, config.SHUTDOWN_GRACE_MS, logger));
  await worker.waitUntilReady();
}
