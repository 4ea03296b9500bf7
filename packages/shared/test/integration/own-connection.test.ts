import { expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Redis } from 'ioredis';
import { onOwnConnection } from '../../src/own-connection.ts';

// BullMQ never closes a connection it was given; what onOwnConnection makes closes its own.
const ended = async (connection: Redis) => {
  for (let i = 0; i < 100 && connection.status !== 'end'; i++) await new Promise((r) => setTimeout(r, 10));
  return connection.status;
};

it('closes the connection it made when the thing made on it closes, also when that close fails', async () => {
  let given: Redis | undefined;
  const queue = onOwnConnection(inject('redisUrl'), (connection) => ((given = connection), { close: async () => {} }));
  expect(await given!.ping()).toBe('PONG');
  await queue.close();
  expect(await ended(given!)).toBe('end');

  const failing = onOwnConnection(inject('redisUrl'), (connection) => ((given = connection), { close: async () => Promise.reject(new Error('stuck')) }));
  await expect(failing.close()).rejects.toThrow('stuck');
  expect(await ended(given!)).toBe('end');
});
