import { Queue } from 'bullmq';
import { afterAll, expect, inject, it } from 'vitest';
import { backupQueueName, backupSchedulerId } from '@berth/shared/jobs';
import { createRedis } from '@berth/shared/redis';
import { queuePrefix } from '@berth/shared/redis-keys';
import { BackupQueue } from '../../src/backup-queue.ts';
import { checkMinInterval } from '../../src/cron-interval.ts';

// A backup schedule is cron in UTC (the docs, the answer's nextBackupAt). On a host whose zone is
// not UTC, a schedule BullMQ read in the host's zone would fire elsewhere in the day than the answer
// said, and a zone's clock change (a repeated hour) would put two of its ticks closer than the floor.
const instance = `bqz${process.pid}`;
const zone = process.env.TZ;
const backups = new BackupQueue(inject('redisUrl'), instance);
const queue = new Queue(backupQueueName, { connection: createRedis(inject('redisUrl')), prefix: queuePrefix(instance) });
afterAll(async () => {
  process.env.TZ = zone;
  await backups.close();
  await queue.obliterate({ force: true });
  await queue.close();
});

it("reads a service's backup schedule in UTC whatever the host's zone, as the API's answer says", async () => {
  process.env.TZ = 'Asia/Kolkata'; // UTC+5:30: 03:00 there is 21:30 UTC
  expect(new Date(Date.UTC(2026, 11, 7, 3)).getHours()).not.toBe(3); // the zone took
  const now = Date.parse('2026-12-07T09:00:00.000Z');
  expect(checkMinInterval('0 3 * * *', 15 * 60_000, now).toISOString()).toBe('2026-12-08T03:00:00.000Z');
  await backups.schedule('svc1', '0 3 * * *');
  const next = (await queue.getJobScheduler(backupSchedulerId('svc1')))?.next;
  expect(next).toBeDefined();
  const at = new Date(next!);
  expect([at.getUTCHours(), at.getUTCMinutes()]).toEqual([3, 0]);
});
