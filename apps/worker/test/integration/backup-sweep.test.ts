import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupFiles } from '@berth/shared/backup-files';
import { BackupRetention } from '@berth/shared/backup-retention';
import { BackupStore } from '@berth/shared/backup-store';
import { createLogger } from '@berth/shared/logger';
import { ProjectStore } from '@berth/shared/project-store';
import { SecretBox } from '@berth/shared/secret-box';
import { ServiceStore } from '@berth/shared/service-store';
import { databaseForFile } from '@berth/testing/database';
import { sweepBackups } from '../../src/backups/backup-sweep.ts';

// The backup store's sweep on real Postgres and a real folder: a deleted project's files and
// folder go, a service deleted with its data loses its backups, failed writes go, retention by
// age keeps each service's newest and what a restore still reads.
const database = databaseForFile();
let dir: string;
let files: BackupFiles;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'berth-sweep-'));
  files = new BackupFiles(dir);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const store = () => new BackupStore(database().db);
const retention = () => new BackupRetention(database().db);
const sweep = (maxAgeMs = 0) => sweepBackups({ retention: retention(), files, maxAgeMs, logger: createLogger('t', 'silent') });
const stored = async (project: string) => (await readdir(path.join(dir, project)).catch(() => [] as string[])).sort();

async function serviceOf(project: string): Promise<string> {
  await new ProjectStore(database().db).create({ name: project, envSealed: null, buildEnvSealed: null });
  const svc = await new ServiceStore(database().db, new SecretBox(randomBytes(32))).add(project, { type: 'redis', name: 'cache', image: 'redis:7', version: '7', envName: 'REDIS_URL', previews: false }, 5);
  return svc.id;
}

const written = async (project: string, id: string) => {
  const file = await files.create(project, id);
  await new Promise<void>((resolve) => file.stream.end('data', resolve));
  return file;
};

/** A succeeded backup with its file in the store. */
async function backup(project: string): Promise<string> {
  const row = await store().create(project, 'cache', 'backup');
  const file = await written(project, row.id);
  await store().finish(row.id, { status: 'succeeded', bytes: await file.commit() });
  return row.id;
}

const age = (id: string, days: number) => database().db.updateTable('backups').set({ created_at: new Date(Date.now() - days * 86_400_000) }).where('id', '=', id).execute();

describe('the backup sweep', () => {
  it("removes a deleted project's files and folder, keeping other projects' and files not Berth's", async () => {
    await serviceOf('gone');
    await serviceOf('stays');
    const kept = await backup('stays');
    await backup('gone');
    await backup('gone');
    await writeFile(path.join(dir, 'stays', 'notes.txt'), 'not a backup');
    await writeFile(path.join(dir, 'download.gz'), 'not a project'); // a file beside the project folders
    await sweep();
    expect((await stored('gone')).length).toBe(2); // still wanted
    await new ProjectStore(database().db).delete('gone');
    await sweep();
    expect((await readdir(dir)).sort()).toEqual(['download.gz', 'stays']);
    expect(await stored('stays')).toEqual([`${kept}.bkp`, 'notes.txt']);
  });

  it('removes the backups of a service deleted with its data, and failed or abandoned writes; keeps one being written', async () => {
    const serviceId = await serviceOf('wipe');
    await backup('wipe');
    const failed = await store().create('wipe', 'cache', 'backup');
    await written('wipe', failed.id);
    await store().finish(failed.id, { status: 'failed', errorCode: 'BACKUP_FAILED' });
    const writing = await store().create('wipe', 'cache', 'backup');
    await store().start(writing.id);
    await written('wipe', writing.id);
    await sweep();
    expect((await stored('wipe')).filter((f) => f.endsWith('.partial'))).toEqual([`${writing.id}.bkp.partial`]);
    await store().finish(writing.id, { status: 'failed' });
    await retention().forgetService(serviceId);
    await sweep();
    expect(await stored('wipe')).toEqual([]);
  });

  it('keeps the backups of a service deleted keeping its data: listed and downloadable under its name', async () => {
    const serviceId = await serviceOf('kept');
    const [first, second] = [await backup('kept'), await backup('kept')];
    await new ServiceStore(database().db, new SecretBox(randomBytes(32))).forget(serviceId); // removed, its volume kept (no forgetService)
    await sweep(24 * 3600_000);
    expect(await stored('kept')).toEqual([`${first}.bkp`, `${second}.bkp`].sort());
    expect((await store().list('kept', 'cache')).map((b) => b.id).sort()).toEqual([first, second].sort());
  });

  it("keeps backups by age, but never a service's newest or one a restore still reads", async () => {
    await serviceOf('aged');
    const [oldest, old, older, newest] = [await backup('aged'), await backup('aged'), await backup('aged'), await backup('aged')];
    for (const [id, days] of [[oldest!, 10], [old!, 9], [older!, 8], [newest!, 7]] as const) await age(id, days);
    const restore = await store().create('aged', 'cache', 'restore', oldest);
    await sweep(24 * 3600_000);
    expect(await stored('aged')).toEqual([`${oldest}.bkp`, `${newest}.bkp`].sort());
    await store().finish(restore.id, { status: 'succeeded' });
    await sweep(0); // 0: by count only
    expect((await stored('aged')).length).toBe(2);
    await sweep(24 * 3600_000);
    expect(await stored('aged')).toEqual([`${newest}.bkp`]);
    expect((await store().list('aged', 'cache')).map((b) => b.id)).toEqual([newest]);
  });
});
