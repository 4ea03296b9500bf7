import { createHash } from 'node:crypto';
import type { Logger } from '@berth/shared/logger';
import type { Redis } from '@berth/shared/redis';
import { loginRateKey } from '@berth/shared/redis-keys';
import type { ApiConfig } from '../config.ts';
import { RateLimitedError, RateLimiter } from '../rate-limiter.ts';

export type LoginThrottleConfig = Pick<
  ApiConfig,
  'BERTH_INSTANCE' | 'LOGIN_RATE_LIMIT_PER_ACCOUNT' | 'LOGIN_RATE_LIMIT_PER_ADDRESS' | 'LOGIN_RATE_WINDOW_MS'
>;

/**
 * Sign-in attempts per account and per client address, counted in Redis (so
 * every API process shares them). Every attempt counts, right or wrong:
 * counting only failures needs a read before the attempt and a write after,
 * and a burst of parallel guesses would all pass the read. Past either limit
 * the answer is 429 with Retry-After, before the password is even checked.
 */
export class LoginThrottle {
  private readonly perAccount: RateLimiter;
  private readonly perAddress: RateLimiter;

  constructor(redis: Redis, config: LoginThrottleConfig, logger: Logger) {
    const prefix = loginRateKey(config.BERTH_INSTANCE);
    const window = config.LOGIN_RATE_WINDOW_MS;
    this.perAccount = new RateLimiter(redis, `${prefix}:account`, config.LOGIN_RATE_LIMIT_PER_ACCOUNT, window, logger);
    this.perAddress = new RateLimiter(redis, `${prefix}:address`, config.LOGIN_RATE_LIMIT_PER_ADDRESS, window, logger);
  }

  /** Counts one attempt; throws RATE_LIMITED (with retryAfterSeconds) past a limit. */
  async take(email: string, address: string): Promise<void> {
    // Hashed: the keys do not put people's emails into Redis.
    const account = createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);
    const results = await Promise.allSettled([this.perAccount.take(account), this.perAddress.take(address)]);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (!refused) return;
    const err: unknown = refused.reason;
    if (err instanceof RateLimitedError) {
      throw new RateLimitedError(err.retryAfterSeconds, `too many sign-in attempts; try again in ${err.retryAfterSeconds} s`);
    }
    throw err;
  }
}
