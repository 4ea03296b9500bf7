import type { DeploymentRow } from './db.ts';
import { mayChangeRoutes } from './deployment-state.ts';
import { encodeEvent, statusEvent } from './events.ts';
import { eventsChannel, routesChannel } from './redis-keys.ts';
import type { Redis } from './redis.ts';

export interface StatusPublisher {
  /** Announces a status change (viewers) and, for routing-relevant ones, pokes router-sync. */
  publish(row: DeploymentRow): Promise<void>;
}

/** Publishes status changes for viewers and pokes router-sync when routes may change. */
export class RedisStatusPublisher implements StatusPublisher {
  constructor(
    private readonly redis: Redis,
    private readonly instance: string,
  ) {}

  /** Pokes router-sync: routes changed without a status change (a project URL moved). */
  async announceRoutes(): Promise<void> {
    await this.redis.publish(routesChannel(this.instance), 'routes');
  }

  async publish(row: DeploymentRow): Promise<void> {
    const event = encodeEvent(statusEvent(row));
    const pipeline = this.redis.multi().publish(eventsChannel(this.instance), event);
    if (mayChangeRoutes(row.status)) pipeline.publish(routesChannel(this.instance), row.id);
    await pipeline.exec();
  }
}
