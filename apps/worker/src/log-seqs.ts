import type { Redis } from '@berth/shared/redis';
import type { LogStore } from '@berth/shared/log-store';
import { logSeqKey } from '@berth/shared/redis-keys';

/**
 * INCRBY on a counter that exists (nil when it does not), and with a lease
 * (KEYS[2]) only while ARGV[2] holds it (-1 when it does not).
 */
const reserveScript = `
if KEYS[2] and redis.call('GET', KEYS[2]) ~= ARGV[2] then return -1 end
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) end
return false`;

/** Thrown when a runtime follower's lease is held by another now: it must stop storing. */
export class FollowerReplaced extends Error {
  constructor(deploymentId: string) {
    super(`another worker follows deployment ${deploymentId} now`);
  }
}

/** The lease a runtime follower holds: its Redis key and the token in it. */
export interface FollowerLease {
  leaseKey: string;
  token: string;
}

/**
 * One deployment's log sequence numbers: a Redis counter shared by every
 * writer of the deployment's log (so numbering continues across workers and
 * retries), started above the highest stored seq.
 */
export class LogSeqs {
  constructor(
    private readonly deps: { redis: Redis; logs: Pick<LogStore, 'maxSeq'>; instance: string; deploymentId: string; lease?: FollowerLease },
  ) {}

  /** Makes sure the counter is at least the highest stored seq (e.g. after Redis lost its data). */
  async init(): Promise<void> {
    const last = await this.deps.logs.maxSeq(this.deps.deploymentId);
    await this.deps.redis.set(this.key(), String(last), 'NX');
  }

  /**
   * The last of `count` new seqs. A counter that is gone (Redis restarted
   * without its data) starts again above the highest stored seq: counting
   * from zero would give stored seqs again, and their lines would be dropped
   * as already stored. A follower whose lease another holds gets none
   * (FollowerReplaced): its seqs would fall among its successor's.
   */
  async reserve(count: number): Promise<number> {
    const last = await this.tryReserve(count);
    if (last !== null) return last;
    await this.init();
    const again = await this.tryReserve(count);
    if (again === null) throw new Error('the log sequence counter vanished while it was being started');
    return again;
  }

  private async tryReserve(count: number): Promise<number | null> {
    const { redis, lease } = this.deps;
    const keys = lease ? [this.key(), lease.leaseKey] : [this.key()];
    const last = (await redis.eval(reserveScript, keys.length, ...keys, count, lease?.token ?? '')) as number | null;
    if (last === -1) throw new FollowerReplaced(this.deps.deploymentId);
    return last;
  }

  private key(): string {
    return logSeqKey(this.deps.instance, this.deps.deploymentId);
  }
}
