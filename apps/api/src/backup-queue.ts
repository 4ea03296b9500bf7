import { Queue } from 'bullmq';
import { backupJobName, backupJobOptions, backupQueueName, backupSchedulerId, scheduledBackupJobName, type BackupJobData, type ScheduledBackupJobData } from '@berth/shared/jobs';
import { createRedis } from '@berth/shared/redis';
import { queuePrefix } from '@berth/shared/redis-keys';
import { withinQueueTimeout } from './queue-timeout.ts';

/** The backups queue as the API uses it: a recorded backup or restore to carry out (job id: its id), and services' backup schedules. */
export class BackupQueue {
  private opened: Queue<BackupJobData | ScheduledBackupJobData> | undefined;

  constructor(
    private readonly redisUrl: string,
    private readonly instance: string,
    private readonly timeoutMs = 5000,
  ) {}

  /** Connected on first use: an API that never takes a backup (the OpenAPI build) opens no connection. */
  private get queue(): Queue<BackupJobData | ScheduledBackupJobData> {
    if (!this.opened) {
      this.opened = new Queue<BackupJobData | ScheduledBackupJobData>(backupQueueName, {
        connection: createRedis(this.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false }),
        prefix: queuePrefix(this.instance),
      });
      this.opened.on('error', () => {});
    }
    return this.opened;
  }

  async enqueue(backupId: string): Promise<void> {
    await withinQueueTimeout(this.queue.add(backupJobName, { backupId }, { ...backupJobOptions, jobId: backupId }), this.timeoutMs);
  }

  /** The service's backup schedule (cron, UTC): its job scheduler enqueues one tick each time, however many workers read the queue. */
  async schedule(serviceId: string, schedule: string | null): Promise<void> {
    const id = backupSchedulerId(serviceId);
    const work: Promise<unknown> = schedule
      ? this.queue.upsertJobScheduler(id, { pattern: schedule }, { name: scheduledBackupJobName, data: { serviceId }, opts: backupJobOptions })
      : this.queue.removeJobScheduler(id);
    await withinQueueTimeout(work, this.timeoutMs);
  }

  async close(): Promise<void> {
    if (!this.opened) return;
    await Promise.race([this.opened.close(), new Promise((r) => setTimeout(r, this.timeoutMs).unref())]).catch(() => {});
  }
}
