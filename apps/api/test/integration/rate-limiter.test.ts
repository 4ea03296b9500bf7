import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it, inject } from 'vitest';
import { createLogger } from '@berth/shared/logger';
import { createRedis } from '@berth/shared/redis';
import { RateLimitedError, RateLimiter } from '../../src/rate-limiter.ts';

// The limiter's script on a real Redis (the 429 through the API: auth.test.ts).
const redis = createRedis(inject('redisUrl'));
const prefix = `berth:ratetest${randomBytes(4).toString('hex')}:rate:deploy`;
const logger = createLogger('test', 'silent');
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe('RateLimiter', () => {
  it('allows `limit` requests per key in a window, then refuses with the seconds left, and keeps the key two windows', async () => {
    const limiter = new RateLimiter(redis, prefix, 3, 60_000, logger);
    for (let i = 0; i < 3; i++) await limiter.take('tok_a');
    const refused = await limiter.take('tok_a').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).code).toBe('RATE_LIMITED');
    expect((refused as RateLimitedError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect((refused as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(60);
    await limiter.take('tok_b'); // another key has its own budget
    const [key] = await redis.keys(`${prefix}:tok_a:*`);
    expect(await redis.get(key!)).toBe('4');
    const ttl = await redis.pttl(key!);
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
  });

  it('counts concurrent requests exactly: no more than `limit` of a burst get through', async () => {
    const limiter = new RateLimiter(redis, prefix, 10, 60_000, logger);
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => limiter.take('tok_burst')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(results.filter((r) => r.status === 'rejected').every((r) => r.reason instanceof RateLimitedError)).toBe(true);
  });

  it('allows the request when Redis is unreachable (the enqueue answers 503 itself)', async () => {
    const down = createRedis('redis://127.0.0.1:1', { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
    try {
      const limiter = new RateLimiter(down, prefix, 0, 60_000, logger);
      await expect(limiter.take('tok_down')).resolves.toBeUndefined();
    } finally {
      down.disconnect();
    }
  });
});
