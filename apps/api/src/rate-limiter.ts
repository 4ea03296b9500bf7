import { BerthError } from '@berth/shared/errors';
import type { Logger } from '@berth/shared/logger';
import type { Redis } from '@berth/shared/redis';

export class RateLimitedError extends BerthError {
  constructor(
    readonly retryAfterSeconds: number,
    message = `too many deployments; try again in ${retryAfterSeconds} s`,
  ) {
    super('RATE_LIMITED', message);
  }
}

/**
 * Fixed-window counter per key in Redis, shared by every API process. Fails
 * open when Redis is unreachable (the enqueue then answers 503 anyway).
 */
export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly logger: Logger,
  ) {}

  async take(key: string): Promise<void> {
    const now = Date.now();
    const window = Math.floor(now / this.windowMs);
    const redisKey = `${this.prefix}:${key}:${window}`;
    let count: number;
    try {
      const result = await this.redis.multi().incr(redisKey).pexpire(redisKey, this.windowMs * 2).exec();
      count = Number(result?.[0]?.[1] ?? 0);
    } catch (err) {
      this.logger.warn({ err }, 'rate limiter unavailable; allowing the request');
      return;
    }
    if (count > this.limit) {
      const retryAfter = Math.max(1, Math.ceil(((window + 1) * this.windowMs - now) / 1000));
      throw new RateLimitedError(retryAfter);
    }
  }
}
