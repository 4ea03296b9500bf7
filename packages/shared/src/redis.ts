import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

/**
 * A Redis connection. `maxRetriesPerRequest: null` is what BullMQ workers
 * need; commands queue while reconnecting instead of failing.
 */
export function createRedis(url: string, options: RedisOptions = {}, onError?: (err: Error) => void): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    // Reconnect quickly after a Redis restart (ioredis' default backs off to 2 s).
    retryStrategy: (times) => Math.min(times * 100, 1000),
    ...options,
  });
  // ioredis reconnects by itself; without a listener it would print every failed attempt.
  redis.on('error', onError ?? (() => {}));
  return redis;
}
