import { Queue, Worker, type Job } from 'bullmq';
import { afterAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createLogger } from '@berth/shared/logger';
import { createRedis } from '@berth/shared/redis';
import { sharedTickPeriods } from '@berth/shared/shared-ticker';
import { waitFor } from '@berth/testing/ports';
import { renewalPeriodMs } from '../../src/follow-leases.ts';
import { jobLocks } from '../../src/job-locks.ts';

/**
 * Job locks kept on the shared tick (job-locks.ts), against a real Redis: a job that runs for four times
 * its lock is never taken over while it runs, and with no job running nothing is ticking for locks
 * (BullMQ's own lock manager wakes every Worker every lockDuration / 4, job or not). The control: the
 * same job with BullMQ's renewal off and no keeper stalls and is taken by the other worker.
 */
const prefix = `jl${process.pid}`;
const lockMs = 1200;
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

function setUp(name: string, keep: boolean) {
  const queue = new Queue(name, { connection: createRedis(inject('redisUrl')), prefix });
  const starts: string[] = [];
  const locks = jobLocks(lockMs, createLogger('job-locks-test', 'silent'));
  const work = async (job: Job) => {
    starts.push(job.id!);
    await new Promise((r) => setTimeout(r, lockMs * 4));
  };
  // Two workers: the second one's stalled check would take over a job whose lock lapsed.
  const workers = [0, 1].map(
    () =>
      new Worker(name, keep ? locks.wrap(work) : work, {
        connection: createRedis(inject('redisUrl')),
        prefix,
        lockDuration: lockMs,
        skipLockRenewal: true,
        stalledInterval: 300,
        maxStalledCount: 5,
      }),
  );
  closers.push(async () => {
    await Promise.all(workers.map((w) => w.close(true)));
    await queue.obliterate({ force: true });
    await queue.close();
  });
  return { queue, starts, locks, workers };
}

it('keeps a running job locked for as long as it runs, with no lock timer while none runs', async () => {
  const { queue, starts, locks, workers } = setUp('kept', true);
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  const renewalPeriod = renewalPeriodMs(lockMs); // 400: a third of the lock
  expect(sharedTickPeriods()).not.toContain(renewalPeriod);

  const job = await queue.add('long', {});
  await waitFor('the job started', () => starts.length === 1, 5000);
  expect(locks.running()).toBe(1);
  expect(sharedTickPeriods()).toContain(renewalPeriod);
  await waitFor('the job finished', async () => (await queue.getJobState(job.id!)) === 'completed', 15_000);
  expect(starts).toEqual([job.id]); // never taken over
  expect(locks.running()).toBe(0);
  expect(sharedTickPeriods()).not.toContain(renewalPeriod);
}, 20_000);

it('without the keeper (the control) the same job stalls and is started again', async () => {
  const { queue, starts, workers } = setUp('unkept', false);
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  await queue.add('long', {});
  await waitFor('the job started twice', () => starts.length >= 2, 15_000);
}, 20_000);
