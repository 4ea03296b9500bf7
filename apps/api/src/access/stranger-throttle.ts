import type { FastifyRequest } from 'fastify';
import type { Logger } from '@berth/shared/logger';
import type { Redis } from '@berth/shared/redis';
import { strangerRateKey } from '@berth/shared/redis-keys';
import type { ApiConfig } from '../config.ts';
import { clientOrigin } from '../people/client-origin.ts';
import { RateLimitedError, RateLimiter } from '../rate-limiter.ts';

export type StrangerThrottleConfig = Pick<ApiConfig, 'BERTH_INSTANCE' | 'STRANGER_RATE_LIMIT' | 'STRANGER_RATE_WINDOW_MS'>;

/** Addresses boxed at once by one process (the oldest leaves first): a flood of addresses cannot grow it without end. */
const maxBoxed = 10_000;

/**
 * Requests by strangers, per client address: those to the doors open without
 * a credential that cost a database query (the git hook, Caddy's TLS
 * question), and credentials that failed to check (an unknown, expired or
 * revoked token, key or session). Counted in Redis, so every API process
 * shares the count; past STRANGER_RATE_LIMIT in a window the address gets 429
 * with Retry-After. An address past the limit is also remembered in this
 * process until its window ends, so its next credentials are refused before
 * they cost a lookup (a valid one too: the limit is per address, as a
 * proxy's or a NAT's clients share one).
 */
export class StrangerThrottle {
  private readonly limiter: RateLimiter;
  /** address → when its window ends (ms). */
  private readonly boxed = new Map<string, number>();

  constructor(
    redis: Redis,
    config: StrangerThrottleConfig,
    logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.limiter = new RateLimiter(redis, strangerRateKey(config.BERTH_INSTANCE), config.STRANGER_RATE_LIMIT, config.STRANGER_RATE_WINDOW_MS, logger);
  }

  /** Throws RATE_LIMITED while the request's address is past its limit (no Redis, no database). */
  assertNotBoxed(request: FastifyRequest): void {
    const address = clientOrigin(request).address;
    const until = this.boxed.get(address);
    if (until === undefined) return;
    const left = until - this.now();
    if (left > 0) throw refusal(Math.ceil(left / 1000));
    this.boxed.delete(address);
  }

  /** Counts one stranger's request from the request's address; throws RATE_LIMITED past the limit. */
  async count(request: FastifyRequest): Promise<void> {
    const address = clientOrigin(request).address;
    try {
      await this.limiter.take(address);
    } catch (err) {
      if (!(err instanceof RateLimitedError)) throw err;
      this.box(address, err.retryAfterSeconds);
      throw refusal(err.retryAfterSeconds);
    }
  }

  private box(address: string, seconds: number): void {
    this.boxed.delete(address);
    this.boxed.set(address, this.now() + seconds * 1000);
    if (this.boxed.size > maxBoxed) this.boxed.delete(this.boxed.keys().next().value!);
  }
}

function refusal(seconds: number): RateLimitedError {
  return new RateLimitedError(seconds, `too many requests without a valid credential from this address; try again in ${seconds} s`);
}
