import { Queue } from 'bullmq';
import { jobSchedulerId, runJobName, runJobOptions, runQueueName, tickJobName, type RunJobData, type TickJobData } from '@berth/shared/jobs';
import { createRedis } from '@berth/shared/redis';
import { queuePrefix } from '@berth/shared/redis-keys';
import { withinQueueTimeout } from './queue-timeout.ts';

export interface JobSchedule {
  jobId: string;
  /** 5 or 6 cron fields (cron-schedule.ts checked it). */
  schedule: string;
  timezone: string | null;
}

/**
 * The runs queue as the API uses it: a recorded run to execute (job id: the run id), and each
 * scheduled job's BullMQ job scheduler, which enqueues one `tick` per tick however many workers
 * read the queue (upserting it again changes the schedule in place).
 */
export class RunQueue {
  private opened: Queue<RunJobData | TickJobData> | undefined;

  constructor(
    private readonly redisUrl: string,
    private readonly instance: string,
    private readonly timeoutMs = 5000,
  ) {}

  /** Connected on first use: an API that never runs anything (the OpenAPI build) opens no connection. */
  private get queue(): Queue<RunJobData | TickJobData> {
    if (!this.opened) {
      this.opened = new Queue<RunJobData | TickJobData>(runQueueName, {
        connection: createRedis(this.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false }),
        prefix: queuePrefix(this.instance),
      });
      this.opened.on('error', () => {});
    }
    return this.opened;
  }

  async enqueueRun(runId: string): Promise<void> {
    await this.within(this.queue.add(runJobName, { runId }, { ...runJobOptions, jobId: runId }));
  }

  async upsertSchedule({ jobId, schedule, timezone }: JobSchedule): Promise<void> {
    await this.within(
      this.queue.upsertJobScheduler(jobSchedulerId(jobId), { pattern: schedule, ...(timezone ? { tz: timezone } : {}) }, { name: tickJobName, data: { jobId }, opts: runJobOptions }),
    );
  }

  async removeSchedule(jobId: string): Promise<void> {
    await this.within(this.queue.removeJobScheduler(jobSchedulerId(jobId)));
  }

  private within<T>(work: Promise<T>): Promise<T> {
    return withinQueueTimeout(work, this.timeoutMs);
  }

  async close(): Promise<void> {
    if (!this.opened) return;
    await Promise.race([this.opened.close(), new Promise((r) => setTimeout(r, this.timeoutMs).unref())]).catch(() => {});
  }
}
