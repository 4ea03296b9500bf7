import { Queue } from 'bullmq';
import { backupJobName, backupJobOptions, backupQueueName, type BackupJobData } from '@berth/shared/jobs';
import { createRedis } from '@berth/shared/redis';
import { queuePrefix } from '@berth/shared/redis-keys';
import { withinQueueTimeout } from './queue-timeout.ts';

/** The backups queue as the API uses it: a recorded backup or restore to carry out (job id: its id). */
export class BackupQueue {
  private opened: Queue<BackupJobData> | undefined;

  constructor(
    private readonly redisUrl: string,
    private readonly instance: string,
    private readonly timeoutMs = 5000,
  ) {}

  /** Connected on first use: an API that never takes a backup (the OpenAPI build) opens no connection. */
  private get queue(): Queue<BackupJobData> {
    if (!this.opened) {
      this.opened = new Queue<BackupJobData>(backupQueueName, {
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

  async close(): Promise<void> {
    if (!this.opened) return;
    await Promise.race([this.opened.close(), new Promise((r) => setTimeout(r, this.timeoutMs).unref())]).catch(() => {});
  }
}
