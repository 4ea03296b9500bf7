import { afterAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createRedis } from '@berth/shared/redis';
import { runtimeFollowKey } from '@berth/shared/redis-keys';
import { waitFor } from '@berth/testing/ports';
import { FollowLeases } from '../../src/follow-leases.ts';

const redis = createRedis(inject('redisUrl'));
const instance = `fl${process.pid}`;
afterAll(async () => {
  await redis.quit();
});

it('one worker holds each lease; one timer keeps all of them past their life; a lease taken by another ends only its own following', async () => {
  const mine = new FollowLeases({ redis, instance, token: 'mine', leaseMs: 300 });
  const other = new FollowLeases({ redis, instance, token: 'other', leaseMs: 300 });
  const lost: string[] = [];
  expect(await mine.claim('a', () => lost.push('a'))).toBe(true);
  expect(await mine.claim('b', () => lost.push('b'))).toBe(true);
  expect(await other.claim('a', () => lost.push('other a'))).toBe(false);

  await new Promise((r) => setTimeout(r, 700)); // past two lease lives
  expect(await redis.get(runtimeFollowKey(instance, 'a'))).toBe('mine');
  expect(await redis.get(runtimeFollowKey(instance, 'b'))).toBe('mine');

  await redis.set(runtimeFollowKey(instance, 'b'), 'thief', 'PX', 5000); // as after an expiry another worker claimed it
  await waitFor('b lost', () => lost.includes('b'), 2000);
  expect(lost).toEqual(['b']);

  await mine.release('b'); // its following ended: the thief's lease stays
  expect(await redis.get(runtimeFollowKey(instance, 'b'))).toBe('thief');
  await mine.release('a');
  expect(await redis.get(runtimeFollowKey(instance, 'a'))).toBeNull();
  expect(await other.claim('a', () => {})).toBe(true);
  await other.release('a');
  await redis.del(runtimeFollowKey(instance, 'b'));
});
