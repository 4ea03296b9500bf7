import { BerthError } from '@berth/shared/errors';
import type { Logger } from '@berth/shared/logger';
import type { Redis } from '@berth/shared/redis';
import { GroupCommit } from './group-commit.ts';

export class RateLimitedError extends BerthError {
  constructor(
    readonly retryAfterSeconds: number,
    message = `too many deployments; try again in ${retryAfterSeconds} s`,
  ) {
    super('RATE_LIMITED', message);
  }
}

/**
 * Counts one request in each key's window (a key given twice counts twice)
 * and keeps the window's key two windows long; answers the counts in order.
 * One command for many requests (`MULTI`/`INCR`/`PEXPIRE`/`EXEC` per request
 * was four for Redis to parse, and four answers for the API to read, each).
 */
const countScript = `
local counts = {}
for i, key in ipairs(KEYS) do
  counts[i] = redis.call('INCR', key)
  redis.call('PEXPIRE', key, ARGV[1])
end
return counts`;

/**
 * Fixed-window counter per key in Redis, shared by every API process. Fails
 * open when Redis is unreachable (the enqueue then answers 503 anyway).
 * Requests that arrive while a count is under way are counted together, in
 * one script run (a group commit: no timer, a request alone goes at once).
 */
export class RateLimiter {
  private readonly counts: GroupCommit<string, number>;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly logger: Logger,
  ) {
    this.counts = new GroupCommit(async (keys) => {
      // EVAL with the text each time (Redis keeps it compiled): nothing to reload after a Redis restart.
      const counts = (await this.redis.eval(countScript, keys.length, ...keys, this.windowMs * 2)) as number[];
      return keys.map((_, i) => ({ ok: true, value: Number(counts[i]) }));
    }, 1);
  }

  async take(key: string): Promise<void> {
    const now = Date.now();
    const window = Math.floor(now / this.windowMs);
    let count: number;
    try {
      count = await this.counts.submit(`${this.prefix}:${key}:${window}`);
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
