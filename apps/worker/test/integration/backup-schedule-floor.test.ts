import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { Queue, Worker } from 'bullmq';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { BackupFiles } from '@berth/shared/backup-files';
import { BackupStore } from '@berth/shared/backup-store';
import { backupQueueName, backupScheduler, backupSchedulerId, type ScheduledBackupJobData } from '@berth/shared/jobs';
import { createLogger } from '@berth/shared/logger';
import { ProjectStore } from '@berth/shared/project-store';
import { createRedis } from '@berth/shared/redis';
import { SecretBox } from '@berth/shared/secret-box';
import { ServiceStore } from '@berth/shared/service-store';
import { databaseForFile } from '@berth/testing/database';
import { scheduledBackup, type BackupRunnerDeps, type BackupSchedules, type BackupTick } from '../../src/backups/backup-runner.ts';
import { tickOf } from '../../src/backups/start-backups.ts';

// A backup schedule firing more often than BACKUP_MIN_INTERVAL_MS that is already stored (set
// before the API refused such schedules, or under a lower setting) keeps ticking in its BullMQ
// job scheduler: the attacker's `* * * * * *` would be a whole dump every second. Its tick, on real
// Postgres and a real Redis queue, takes no backup and clears it; a schedule within the floor stays.
// So does a scheduler still firing an old pattern after the API stored a new schedule.
const database = databaseForFile();
const secrets = new SecretBox(randomBytes(32));
const queue = new Queue(backupQueueName, { connection: createRedis(inject('redisUrl')), prefix: `bsf${process.pid}` });
afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
});

const minIntervalMs = 15 * 60_000;
const deps = (): BackupRunnerDeps => ({
  // Never reached: no backup is carried out here (a reached Docker call fails the test's expectations).
  docker: {} as Docker,
  backups: new BackupStore(database().db),
  services: new ServiceStore(database().db, secrets),
  files: new BackupFiles('/nonexistent/berth-backups'),
  secrets,
  instance: 'bsf',
  logger: createLogger('t', 'silent'),
  keep: 7,
  timeoutMs: 60_000,
  minIntervalMs,
});
const schedules: BackupSchedules = {
  remove: (serviceId) => queue.removeJobScheduler(backupSchedulerId(serviceId)),
  set: (serviceId, schedule) => queue.upsertJobScheduler(...backupScheduler(serviceId, schedule)),
};
/** The tick its scheduler's job brings (the pattern and zone that fired it). */
async function tick(serviceId: string): Promise<BackupTick> {
  const scheduler = await queue.getJobScheduler(backupSchedulerId(serviceId));
  return { serviceId, pattern: scheduler?.pattern ?? undefined, tz: scheduler?.tz ?? undefined };
}
const schedulerPattern = async (serviceId: string) => (await queue.getJobScheduler(backupSchedulerId(serviceId)))?.pattern;

/** A Redis service whose schedule is stored as an older Berth stored it: the row and its job scheduler, unchecked. */
async function scheduled(project: string, schedule: string): Promise<string> {
  await new ProjectStore(database().db).create({ name: project, envSealed: null, buildEnvSealed: null });
  const svc = await new ServiceStore(database().db, secrets).add(project, { type: 'redis', name: 'cache', image: 'redis:7', version: '7', envName: 'REDIS_URL', previews: false }, 5);
  await database().db.updateTable('services').set({ backup_schedule: schedule }).where('id', '=', svc.id).execute();
  await queue.upsertJobScheduler(...backupScheduler(svc.id, schedule));
  return svc.id;
}
const storedSchedule = async (id: string) => (await database().db.selectFrom('services').select('backup_schedule').where('id', '=', id).executeTakeFirstOrThrow()).backup_schedule;
const backupsOf = (project: string) => new BackupStore(database().db).list(project, 'cache');

describe("a backup schedule's tick, checked again by the worker", () => {
  it('takes no backup and clears the schedule and its job scheduler, however the schedule is written', async () => {
    for (const [i, often] of ['* * * * * *', '*/5 * * * *', '59,0 23,0 * * *'].entries()) {
      const project = `floor${i}`;
      const serviceId = await scheduled(project, often);
      expect(await queue.getJobScheduler(backupSchedulerId(serviceId))).toBeTruthy();
      await scheduledBackup(deps(), await tick(serviceId), schedules);
      expect(await backupsOf(project), often).toEqual([]);
      expect(await storedSchedule(serviceId), often).toBeNull();
      expect(await queue.getJobScheduler(backupSchedulerId(serviceId)), often).toBeFalsy();
    }
  });

  it('keeps a schedule within the floor (its tick skipped only while a backup is under way)', async () => {
    const serviceId = await scheduled('fine', '*/15 * * * *');
    const underWay = await new BackupStore(database().db).create('fine', 'cache', 'backup');
    await scheduledBackup(deps(), await tick(serviceId), schedules);
    expect((await backupsOf('fine')).map((b) => b.id)).toEqual([underWay.id]);
    expect(await storedSchedule(serviceId)).toBe('*/15 * * * *');
    expect(await queue.getJobScheduler(backupSchedulerId(serviceId))).toBeTruthy();
  });

  it('keeps a schedule set through the API since the tick read the service, and its scheduler', async () => {
    const serviceId = await scheduled('changed', '* * * * * *');
    const store = new BackupStore(database().db);
    // The API sets a valid schedule between the tick's read of the service and its clearing.
    const racing: BackupRunnerDeps = { ...deps(), backups: Object.assign(Object.create(store) as BackupStore, {
      clearSchedule: async (id: string, schedule: string) => {
        await store.setSchedule('changed', 'cache', '0 3 * * *');
        await queue.upsertJobScheduler(...backupScheduler(id, '0 3 * * *'));
        return store.clearSchedule(id, schedule);
      },
    }) };
    await scheduledBackup(racing, await tick(serviceId), schedules);
    expect(await storedSchedule(serviceId)).toBe('0 3 * * *');
    expect(await schedulerPattern(serviceId)).toBe('0 3 * * *');
    expect(await backupsOf('changed')).toEqual([]);
  });

  it('sets a scheduler firing another pattern than the stored schedule (the API stored a new one, Redis refused its scheduler) again from it, taking no backup', async () => {
    const serviceId = await scheduled('stale', '* * * * * *'); // an older Berth's scheduler
    await database().db.updateTable('services').set({ backup_schedule: '0 3 * * *' }).where('id', '=', serviceId).execute(); // PUT stored, its Redis call failed
    await scheduledBackup(deps(), await tick(serviceId), schedules);
    expect(await backupsOf('stale')).toEqual([]);
    expect([await storedSchedule(serviceId), await schedulerPattern(serviceId)]).toEqual(['0 3 * * *', '0 3 * * *']);
  });

  it("sets an older Berth's scheduler (read in the host's zone) again in UTC, taking its tick's backup", async () => {
    const serviceId = await scheduled('zoned', '0 3 * * *');
    await queue.upsertJobScheduler(backupSchedulerId(serviceId), { pattern: '0 3 * * *' }, { name: 'scheduled-backup', data: { serviceId } }); // no tz, as before
    await new BackupStore(database().db).create('zoned', 'cache', 'backup'); // the tick's own backup then meets this one: skipped, not carried out here
    const logged: string[] = [];
    await scheduledBackup({ ...deps(), logger: createLogger('t', 'info', { write: (line: string) => void logged.push(line) }) }, await tick(serviceId), schedules);
    expect((await queue.getJobScheduler(backupSchedulerId(serviceId)))?.tz).toBe('UTC');
    expect(logged.join('')).toContain('scheduled backup skipped: another is under way'); // it went on to take its backup
  });

  it("reads the pattern and zone that fired a tick from BullMQ's own tick job", async () => {
    const seen: BackupTick[] = [];
    const prefix = `bsfw${process.pid}`;
    const own = new Queue(backupQueueName, { connection: createRedis(inject('redisUrl')), prefix });
    const worker = new Worker<ScheduledBackupJobData>(backupQueueName, async (job) => void seen.push(tickOf(job)), { connection: createRedis(inject('redisUrl')), prefix });
    try {
      await own.upsertJobScheduler(...backupScheduler('svc-fired', '* * * * * *'));
      for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(seen[0]).toEqual({ serviceId: 'svc-fired', pattern: '* * * * * *', tz: 'UTC' });
    } finally {
      await worker.close();
      await own.obliterate({ force: true });
      await own.close();
    }
  });
});
