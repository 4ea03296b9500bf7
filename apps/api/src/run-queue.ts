import { jobSchedulerId, runJobName, runJobOptions, runQueueName, tickJobName, type RunJobData, type TickJobData } from '@berth/shared/jobs';
import { LazyQueue } from './lazy-queue.ts';

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
  private readonly queue: LazyQueue<RunJobData | TickJobData>;

  constructor(redisUrl: string, instance: string, timeoutMs = 5000) {
    this.queue = new LazyQueue(runQueueName, redisUrl, instance, timeoutMs);
  }

  async enqueueRun(runId: string): Promise<void> {
    await this.queue.call((q) => q.add(runJobName, { runId }, { ...runJobOptions, jobId: runId }));
  }

  async upsertSchedule({ jobId, schedule, timezone }: JobSchedule): Promise<void> {
    await this.queue.call((q) =>
      q.upsertJobScheduler(jobSchedulerId(jobId), { pattern: schedule, ...(timezone ? { tz: timezone } : {}) }, { name: tickJobName, data: { jobId }, opts: runJobOptions }),
    );
  }

  async removeSchedule(jobId: string): Promise<void> {
    await this.queue.call((q) => q.removeJobScheduler(jobSchedulerId(jobId)));
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
