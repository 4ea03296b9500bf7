import type { DeploymentRow } from './db.ts';
import { mayChangeRoutes } from './deployment-state.ts';
import { encodeEvent, statusEvent } from './events.ts';
import { eventsChannel, routesChannel } from './redis-keys.ts';
import type { Redis } from './redis.ts';

export interface StatusPublisher {
  /** Announces a status change (viewers) and, for routing-relevant ones, pokes router-sync. */
  publish(row: DeploymentRow): Promise<void>;
  /** Announces several, as `publish` each, in one round trip (a batch of superseded deployments); optional. */
  publishAll?(rows: readonly DeploymentRow[]): Promise<void>;
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
    await this.publishAll([row]);
  }

  async publishAll(rows: readonly DeploymentRow[]): Promise<void> {
    if (rows.length === 0) return;
    const pipeline = this.redis.multi();
    for (const row of rows) {
      pipeline.publish(eventsChannel(this.instance), encodeEvent(statusEvent(row)));
      if (mayChangeRoutes(row.status)) pipeline.publish(routesChannel(this.instance), row.id);
    }
    await pipeline.exec();
  }
}
