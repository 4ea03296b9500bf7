import { expect, it } from 'vitest';
import type { Redis } from '@berth/shared/redis';
import { FollowLeases } from '../../src/follow-leases.ts';

it('a renewal that fails (Redis away) ends every following it held: their leases may pass to another worker', async () => {
  const redis = { set: () => Promise.resolve('OK'), eval: () => Promise.reject(new Error('Connection is closed.')) } as unknown as Redis;
  const leases = new FollowLeases({ redis, instance: 'i', token: 't', leaseMs: 300 });
  const lost: string[] = [];
  await leases.claim('a', () => lost.push('a'));
  await leases.claim('b', () => lost.push('b'));
  // The first renewal (every lease / 3 = 100 ms) fails.
  for (const deadline = Date.now() + 5000; lost.length < 2 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
  expect(lost.slice(0, 2).sort()).toEqual(['a', 'b']);
  await leases.release('a');
  await leases.release('b');
});
