import { describe, expect, it } from 'vitest';
import { AuditRetention } from '../../../src/accounts/audit-retention.ts';

describe('AuditRetention', () => {
  it('prunes with the retention asked for at most once a day, however often the reaper asks', async () => {
    let now = 1_000_000;
    const calls: number[] = [];
    const retention = new AuditRetention({ prune: async (days) => (calls.push(days), 7) }, 90, () => now);
    expect(await retention.runIfDue()).toBe(7);
    now += 23 * 3600 * 1000;
    expect(await retention.runIfDue()).toBeUndefined();
    now += 3600 * 1000;
    expect(await retention.runIfDue()).toBe(7);
    expect(calls).toEqual([90, 90]);
  });

  it('a prune that fails is tried again on the next pass', async () => {
    let fail = true;
    const retention = new AuditRetention({ prune: async () => (fail ? Promise.reject(new Error('postgres away')) : 0) }, 30);
    await expect(retention.runIfDue()).rejects.toThrow('postgres away');
    fail = false;
    expect(await retention.runIfDue()).toBe(0);
  });
});
