import { Queue } from 'bullmq';
import { BerthError } from '@berth/shared/errors';
import { deploymentQueueName, enqueueDeployments, type DeploymentJobData } from '@berth/shared/jobs';
import { queuePrefix } from '@berth/shared/redis-keys';
import { createRedis, type Redis } from '@berth/shared/redis';

export interface DeploymentQueue {
  /** Adds the deployments' jobs in one round trip (the group commit of new deployments). */
  enqueueMany(deploymentIds: readonly string[]): Promise<void>;
  /** Removes a job that no worker has taken yet (a no-op for active or missing ones). */
  remove(deploymentId: string): Promise<void>;
  /** The place of each waiting job (1 = next to be taken); ids not waiting are left out. */
  placesOf?(deploymentIds: readonly string[]): Promise<Map<string, number>>;
  close(): Promise<void>;
}

/** BullMQ queue; the job id is the deployment id, so enqueueing twice never duplicates work. */
export class BullDeploymentQueue implements DeploymentQueue {
  private readonly queue: Queue<DeploymentJobData>;
  /** The queue's connection, for reads BullMQ has no call for (the wait list's ranks). */
  private readonly connection: Redis;

  constructor(
    redisUrl: string,
    instance: string,
    private readonly timeoutMs = 5000,
  ) {
    // Fail fast when Redis is down instead of queueing the command forever.
    this.connection = createRedis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    this.queue = new Queue<DeploymentJobData>(deploymentQueueName, {
      connection: this.connection,
      prefix: queuePrefix(instance),
    });
    this.queue.on('error', () => {});
  }

  async enqueueMany(deploymentIds: readonly string[]): Promise<void> {
    await this.withinTimeout(enqueueDeployments(this.queue, deploymentIds));
  }

  /**
   * Where each job waits, read from the queue itself: BullMQ pushes new jobs
   * on the head of its wait list and workers take them from the tail, so the
   * place is the list's length less the job's index from the head (LPOS, from
   * the head: the newest jobs, the ones polled most, are found first). One
   * MULTI for every id, so the length and the indexes are of the same moment.
   */
  async placesOf(deploymentIds: readonly string[]): Promise<Map<string, number>> {
    const key = this.queue.toKey('wait');
    const multi = this.connection.multi().llen(key);
    for (const id of deploymentIds) multi.lpos(key, id);
    const replies = (await this.withinTimeout(multi.exec())) ?? [];
    const length = Number(replies[0]?.[1] ?? 0);
    const places = new Map<string, number>();
    deploymentIds.forEach((id, i) => {
      const index = replies[i + 1]?.[1];
      if (typeof index === 'number') places.set(id, length - index);
    });
    return places;
  }

  /** Jobs by state (the queue depth /metrics reports). */
  async jobCounts(): Promise<Record<string, number>> {
    return this.withinTimeout(this.queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'failed', 'completed'));
  }

  private async withinTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      // BullMQ waits for a connection indefinitely; a request must not.
      return await Promise.race([
        work,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer from Redis within ${this.timeoutMs} ms`)), this.timeoutMs);
        }),
      ]);
    } catch (err) {
      throw new BerthError('QUEUE_UNAVAILABLE', 'the job queue is unavailable; try again shortly', { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  async remove(deploymentId: string): Promise<void> {
    await this.queue.remove(deploymentId).catch(() => 0);
  }

  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      this.queue.close().then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), this.timeoutMs))),
    ]);
    clearTimeout(timer);
    // Redis unreachable: close() waits for it forever; drop the connection instead.
    if (!closed) void this.queue.disconnect().catch(() => {});
    // BullMQ leaves a connection it was given open.
    this.connection.disconnect();
  }
}
