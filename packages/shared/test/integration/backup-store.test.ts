import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { databaseForFile } from '@berth/testing/database';
import { BackupStore } from '../../src/backup-store.ts';
import { ProjectStore } from '../../src/project-store.ts';
import { SecretBox } from '../../src/secret-box.ts';
import { ServiceStore } from '../../src/service-store.ts';

const database = databaseForFile();
const backups = () => new BackupStore(database().db);
const services = () => new ServiceStore(database().db, new SecretBox(randomBytes(32)));
const project = (name: string) => new ProjectStore(database().db).create({ name, envSealed: null, buildEnvSealed: null });

describe('BackupStore', () => {
  it('takes one backup or restore at a time per service, whatever many requests come at once', async () => {
    await project('busy');
    await services().add('busy', { type: 'redis', name: 'cache', image: 'redis:7', version: '7', envName: 'REDIS_URL', previews: false }, 5);
    const codes = (await Promise.allSettled(Array.from({ length: 8 }, () => backups().create('busy', 'cache', 'backup')))).map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as { code: string }).code));
    expect(codes.sort()).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'ok']);
    await expect(backups().create('busy', 'nope', 'backup')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(backups().create('busy', 'cache', 'restore', 'bkp000000000000')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps the newest succeeded backups and forgets older ones, never one a restore still reads', async () => {
    await project('keep');
    const svc = await services().add('keep', { type: 'postgres', name: 'db', image: 'postgres:16', version: '16', envName: 'DATABASE_URL', previews: false }, 5);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const b = await backups().create('keep', 'db', 'backup');
      await backups().finish(b.id, { status: 'succeeded', bytes: 10 });
      ids.push(b.id);
    }
    const restore = await backups().create('keep', 'db', 'restore', ids[0]);
    expect((await backups().prune(svc.id, 2)).map((o) => o.id)).toEqual([ids[1]]);
    await backups().finish(restore.id, { status: 'succeeded' });
    expect((await backups().prune(svc.id, 2)).map((o) => o.id)).toEqual([ids[0]]);
    expect((await backups().list('keep', 'db')).map((b) => b.id).sort()).toEqual([ids[2], ids[3]].sort());
  });
});
