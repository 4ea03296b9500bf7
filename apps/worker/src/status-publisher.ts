import type { DeploymentRow } from '@berth/shared/db';
import { encodeEvent, eventsChannel, routesChannel, statusEvent } from '@berth/shared/events';
import type { Redis } from '@berth/shared/redis';
import type { StatusPublisher } from './deployment-runner.ts';

/** Publishes status changes for viewers and pokes router-sync when routes may change. */
export class RedisStatusPublisher implements StatusPublisher {
  constructor(
    private readonly redis: Redis,
    private readonly instance: string,
  ) {}

  async published(row: DeploymentRow): Promise<void> {
    const event = encodeEvent(statusEvent(row));
    const pipeline = this.redis.multi().publish(eventsChannel(this.instance), event);
    if (row.status === 'running' || row.status === 'starting') {
      pipeline.publish(routesChannel(this.instance), row.id);
    }
    await pipeline.exec();
  }
}
