import type { Redis } from '@berth/shared/redis';
import { runtimeFollowKey } from '@berth/shared/redis-keys';
import { everySharedTick } from '@berth/shared/shared-ticker';

/** Renews the keys still held by `ARGV[1]`; returns the (1-based) positions of those it no longer holds. */
const renewHeldScript = `
local lost = {}
for i, key in ipairs(KEYS) do
  if redis.call('get', key) == ARGV[1] then redis.call('pexpire', key, ARGV[2]) else lost[#lost + 1] = i end
end
return lost`;
const releaseScript = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * How often leases of `leaseMs` are renewed: at most a third of the lease, rounded down to a
 * period that shares the process's 5 s and 10 s chores' moments (2.5 s for the default 10 s lease),
 * so the renewal rides their wake-ups on the shared grid instead of waking the worker on its own.
 */
export function renewalPeriodMs(leaseMs: number): number {
  const third = Math.max(100, Math.floor(leaseMs / 3));
  const grid = [60_000, 30_000, 10_000, 5000, 2500, 1000].find((p) => p <= third);
  return grid ?? third;
}

/**
 * One worker's leases on the deployments whose output it follows (one
 * follower per deployment): claimed one by one, renewed all together by one
 * timer in one Redis call (a timer per lease woke an idle worker 15 times a
 * second at 50 apps: bench:idle), released one by one. A lease found held by
 * another, or a renewal that fails (Redis away), ends its following: `onLost`.
 */
export class FollowLeases {
  private readonly held = new Map<string, () => void>();
  private stopTicking: (() => void) | undefined;

  constructor(
    private readonly deps: { redis: Redis; instance: string; token: string; leaseMs: number },
  ) {}

  /** True when this worker now holds the deployment's lease; `onLost` is called if it loses it. */
  async claim(deploymentId: string, onLost: () => void): Promise<boolean> {
    const { redis, leaseMs, token } = this.deps;
    if ((await redis.set(this.key(deploymentId), token, 'PX', leaseMs, 'NX')) !== 'OK') return false;
    this.held.set(deploymentId, onLost);
    this.stopTicking ??= everySharedTick(renewalPeriodMs(leaseMs), () => void this.renew());
    return true;
  }

  async release(deploymentId: string): Promise<void> {
    if (!this.held.delete(deploymentId)) return;
    if (this.held.size === 0) this.stopTimer();
    await this.deps.redis.eval(releaseScript, 1, this.key(deploymentId), this.deps.token).catch(() => {});
  }

  private async renew(): Promise<void> {
    const ids = [...this.held.keys()];
    if (ids.length === 0) return;
    const { redis, token, leaseMs } = this.deps;
    let lost: number[];
    try {
      lost = (await redis.eval(renewHeldScript, ids.length, ...ids.map((id) => this.key(id)), token, String(leaseMs))) as number[];
    } catch {
      lost = ids.map((_, i) => i + 1); // not renewed: another worker may take them over once they expire
    }
    for (const i of lost) this.held.get(ids[i - 1]!)?.();
  }

  private stopTimer(): void {
    this.stopTicking?.();
    this.stopTicking = undefined;
  }

  private key(deploymentId: string): string {
    return runtimeFollowKey(this.deps.instance, deploymentId);
  }
}
