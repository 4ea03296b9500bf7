import { describe, expect, it } from 'vitest';
import { RestartPolicy } from '@berth/supervisor/restart-policy';

const options = { initialDelayMs: 1000, maxDelayMs: 5000, stableAfterMs: 10_000, maxCrashes: 4 };

describe('RestartPolicy', () => {
  it('backs off exponentially up to the maximum while a process keeps crashing soon after start, then gives up', () => {
    const policy = new RestartPolicy(options);
    expect([1, 2, 3, 4].map(() => policy.afterExit(100))).toEqual([
      { action: 'restart', delayMs: 1000, crashes: 1 },
      { action: 'restart', delayMs: 2000, crashes: 2 },
      { action: 'restart', delayMs: 4000, crashes: 3 },
      { action: 'restart', delayMs: 5000, crashes: 4 },
    ]);
    expect(policy.afterExit(100)).toEqual({ action: 'give-up', crashes: 5 });
  });

  it('starts over after a run that lasted long enough, and on reset', () => {
    const policy = new RestartPolicy(options);
    policy.afterExit(100);
    policy.afterExit(100);
    expect(policy.afterExit(60_000)).toEqual({ action: 'restart', delayMs: 1000, crashes: 1 });
    policy.afterExit(100);
    policy.reset();
    expect(policy.afterExit(100)).toEqual({ action: 'restart', delayMs: 1000, crashes: 1 });
  });
});
