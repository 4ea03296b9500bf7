import type { RedisOptions } from 'ioredis';
import { createRedis, type Redis } from './redis.ts';

/** What BullMQ's Queue and Worker have in common here: a close. */
interface Closable {
  close(...args: never[]): Promise<void>;
}

/**
 * A BullMQ queue or worker made on a Redis connection of its own, whose
 * close() closes that connection too. BullMQ never closes a connection it was
 * given (only those it makes itself), so each queue closed left one open: an
 * API or worker closed in a test process, or the soak's look at the queue
 * every few seconds (its Redis went from 41 to 120 descriptors while it settled).
 */
export function onOwnConnection<T extends Closable>(redisUrl: string, make: (connection: Redis) => T, options: RedisOptions = {}): T {
  const connection = createRedis(redisUrl, options);
  const made = make(connection);
  const close = made.close.bind(made);
  made.close = (async (...args: never[]) => {
    try {
      await close(...args);
    } finally {
      connection.disconnect();
    }
  }) as T['close'];
  return made;
}
