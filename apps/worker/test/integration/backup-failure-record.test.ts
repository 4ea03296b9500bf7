import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BackupFiles } from '@berth/shared/backup-files';
import { BackupStore } from '@berth/shared/backup-store';
import { createLogger } from '@berth/shared/logger';
import { ProjectStore } from '@berth/shared/project-store';
import { SecretBox } from '@berth/shared/secret-box';
import { ServiceStore } from '@berth/shared/service-store';
import { databaseForFile } from '@berth/testing/database';
import { carryOutBackup } from '../../src/backups/backup-runner.ts';

// A backup failing on the worker's side (here: BACKUP_DIR is a file, not a folder) on real
// Postgres and a real file system: what the project's readers see (the row, which `backup.failed` sends)
// names the cause in Berth's words; the error's own words, the server's paths, only the log.
const database = databaseForFile();
const secrets = new SecretBox(randomBytes(32));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'berth-failure-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

it("records a failure outside Berth's own errors as a fixed sentence, without the server's paths", async () => {
  const notAFolder = path.join(dir, 'backups-as-a-file');
  await writeFile(notAFolder, '');
  await new ProjectStore(database().db).create({ name: 'shop', envSealed: null, buildEnvSealed: null });
  await new ServiceStore(database().db, secrets).add('shop', { type: 'redis', name: 'cache', image: 'redis:7', version: '7', envName: 'REDIS_URL', previews: false }, 5);
  const backups = new BackupStore(database().db);
  const row = await backups.create('shop', 'cache', 'backup');
  const logged: string[] = [];
  const logger = createLogger('t', 'info', { write: (line: string) => void logged.push(line) });
  await carryOutBackup(
    // Docker is never reached: the store's folder fails first.
    { docker: {} as Docker, backups, services: new ServiceStore(database().db, secrets), files: new BackupFiles(notAFolder), secrets, instance: 'bfr', logger, keep: 7, timeoutMs: 60_000, minIntervalMs: 60_000 },
    row.id,
  );
  const failed = (await backups.get(row.id))!;
  expect([failed.status, failed.error_code, failed.error_detail]).toEqual(['failed', 'BACKUP_FAILED', null]);
  expect(failed.error_message).toBe("the backup store (BACKUP_DIR) is not a folder the worker can write in; the worker's log says more");
  expect(logged.join('')).toContain(notAFolder); // the operator's log has it
});
