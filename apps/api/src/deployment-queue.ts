import { Queue } from 'bullmq';
import { BerthError } from '@berth/shared/errors';
import {
  deploymentJobOptions,
  deploymentQueueName,
  queuePrefix,
  type DeploymentJobData,
} from '@berth/shared/jobs';
import { createRedis } from '@berth/shared/redis';

export interface DeploymentQueue {
  enqueue(deploymentId: string): Promise<void>;
  close(): Promise<void>;
}

/** BullMQ queue; the job id is the deployment id, so enqueueing twice never duplicates work. */
export class BullDeploymentQueue implements DeploymentQueue {
  private readonly queue: Queue<DeploymentJobData>;

  constructor(redisUrl: string, instance: string) {
    // Fail fast when Redis is down instead of queueing the command forever.
    this.queue = new Queue<DeploymentJobData>(deploymentQueueName, {
      connection: createRedis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false }),
      prefix: queuePrefix(instance),
    });
    this.queue.on('error', () => {});
  }

  async enqueue(deploymentId: string): Promise<void> {
    try {
      await this.queue.add('deploy', { deploymentId }, { ...deploymentJobOptions, jobId: deploymentId });
    } catch (err) {
      throw new BerthError('QUEUE_UNAVAILABLE', 'the job queue is unavailable; try again shortly', { cause: err });
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
