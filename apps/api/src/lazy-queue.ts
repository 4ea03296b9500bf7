import { Queue } from 'bullmq';
import { onOwnConnection } from '@berth/shared/own-connection';
import { queuePrefix } from '@berth/shared/redis-keys';
import { withinQueueTimeout } from './queue-timeout.ts';

/**
 * A BullMQ queue as the API uses one (runs, backups): connected on first use (an API that never
 * touches it, such as the OpenAPI build, opens no connection), every call bounded by `timeoutMs`
 * (QUEUE_UNAVAILABLE past it), and a close that never waits longer than that.
 */
export class LazyQueue<T> {
  private opened: Queue<T> | undefined;

  constructor(
    private readonly name: string,
    private readonly redisUrl: string,
    private readonly instance: string,
    private readonly timeoutMs = 5000,
  ) {}

  /** `use(queue)` within the timeout. */
  async call<R>(use: (queue: Queue<T>) => Promise<R>): Promise<R> {
    return withinQueueTimeout(use(this.queue), this.timeoutMs);
  }

  private get queue(): Queue<T> {
    if (!this.opened) {
      const options = { maxRetriesPerRequest: 1, enableOfflineQueue: false };
      this.opened = onOwnConnection(this.redisUrl, (connection) => new Queue<T>(this.name, { connection, prefix: queuePrefix(this.instance) }), options);
      this.opened.on('error', () => {});
    }
    return this.opened;
  }

  async close(): Promise<void> {
    if (!this.opened) return;
    const closed = await Promise.race([this.opened.close().then(() => true), new Promise<false>((r) => setTimeout(() => r(false), this.timeoutMs).unref())]).catch(() => true);
    // Redis unreachable: close() waits for it forever; drop the connection instead.
    if (!closed) void this.opened.disconnect().catch(() => {});
  }
}
