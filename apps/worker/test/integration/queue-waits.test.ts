import { Queue, Worker } from 'bullmq';
import { afterAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createRedis } from '@berth/shared/redis';
import { waitFor } from '@berth/testing/ports';
import { idleDrainDelaySeconds } from '../../src/queue-waits.ts';

const prefix = `qw${process.pid}`;
const queue = new Queue('waits', { connection: createRedis(inject('redisUrl')), prefix });
const took: { name: string; at: number }[] = [];
const worker = new Worker('waits', async (job) => {
  took.push({ name: job.name, at: Date.now() });
  if (job.name === 'retry' && job.attemptsMade === 0) throw new Error('the first attempt fails');
}, {
  connection: createRedis(inject('redisUrl')),
  prefix,
  drainDelay: idleDrainDelaySeconds,
});
afterAll(async () => {
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
});

it("an idle worker's long blocking read ends at once for a new job, a delayed one's due time and a retry", async () => {
  await worker.waitUntilReady();
  await new Promise((r) => setTimeout(r, 300)); // the worker is in its blocking read of the empty queue

  let added = Date.now();
  await queue.add('now', {});
  await waitFor('the new job taken', () => took.some((t) => t.name === 'now'), 3000);
  expect(took.find((t) => t.name === 'now')!.at - added).toBeLessThan(1500);

  await new Promise((r) => setTimeout(r, 300));
  added = Date.now();
  await queue.add('later', {}, { delay: 1000 });
  await waitFor('the delayed job taken', () => took.some((t) => t.name === 'later'), 5000);
  const late = took.find((t) => t.name === 'later')!.at - added;
  expect(late).toBeGreaterThanOrEqual(1000);
  expect(late).toBeLessThan(2500); // its due time, not the next poll (idleDrainDelaySeconds away)

  await new Promise((r) => setTimeout(r, 300));
  await queue.add('retry', {}, { attempts: 2, backoff: { type: 'fixed', delay: 1000 } });
  await waitFor('the retry taken', () => took.filter((t) => t.name === 'retry').length === 2, 5000);
  const [first, second] = took.filter((t) => t.name === 'retry');
  expect(second!.at - first!.at).toBeLessThan(2500);
  expect(idleDrainDelaySeconds).toBeGreaterThanOrEqual(10);
}, 20_000);
