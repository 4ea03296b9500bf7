import { backupJobName, backupJobOptions, backupQueueName, backupScheduler, backupSchedulerId, type BackupJobData, type ScheduledBackupJobData } from '@berth/shared/jobs';
import { LazyQueue } from './lazy-queue.ts';

/** The backups queue as the API uses it: a recorded backup or restore to carry out (job id: its id), and services' backup schedules. */
export class BackupQueue {
  private readonly queue: LazyQueue<BackupJobData | ScheduledBackupJobData>;

  constructor(redisUrl: string, instance: string, timeoutMs = 5000) {
    this.queue = new LazyQueue(backupQueueName, redisUrl, instance, timeoutMs);
  }

  async enqueue(backupId: string): Promise<void> {
    await this.queue.call((q) => q.add(backupJobName, { backupId }, { ...backupJobOptions, jobId: backupId }));
  }

  /** The service's backup schedule (cron, read in UTC whatever the host's zone): its job scheduler enqueues one tick each time, however many workers read the queue. */
  async schedule(serviceId: string, schedule: string | null): Promise<void> {
    await this.queue.call((q): Promise<unknown> => (schedule ? q.upsertJobScheduler(...backupScheduler(serviceId, schedule)) : q.removeJobScheduler(backupSchedulerId(serviceId))));
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
