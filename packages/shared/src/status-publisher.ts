import type { DeploymentRow } from './db.ts';
import { controlChannel, encodeEvent, eventsChannel, routesChannel, statusEvent } from './events.ts';
import type { Redis } from './redis.ts';

export interface StatusPublisher {
  /** Announces a status change (viewers) and, for routing-relevant ones, pokes router-sync. */
  published(row: DeploymentRow): Promise<void>;
}

/** Messages to every worker: abort a deployment's job, or remove a stopped deployment's container. */
export type ControlMessage = { type: 'cancel' | 'stop'; deploymentId: string };

/** Publishes status changes for viewers and pokes router-sync when routes may change. */
export class RedisStatusPublisher implements StatusPublisher {
  constructor(
    private readonly redis: Redis,
    private readonly instance: string,
  ) {}

  async published(row: DeploymentRow): Promise<void> {
    const event = encodeEvent(statusEvent(row));
    const pipeline = this.redis.multi().publish(eventsChannel(this.instance), event);
    if (row.status !== 'queued' && row.status !== 'fetching' && row.status !== 'building') {
      pipeline.publish(routesChannel(this.instance), row.id);
    }
    await pipeline.exec();
  }

  async control(message: ControlMessage): Promise<void> {
    await this.redis.publish(controlChannel(this.instance), JSON.stringify(message));
  }
}
