import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, constants, openSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
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

// BACKUP_TIMEOUT_MS bounds a tool's exec in the container (test/stack/e2e/backups.test.ts: a dump
// waiting for a lock). What hangs outside the exec must not hold the service's one operation slot
// for good either: here the backup store stops answering (a backup's file that is a FIFO no one
// writes: reading it blocks, as a hung network mount would), on real Postgres and a real file system.
const database = databaseForFile();
const secrets = new SecretBox(randomBytes(32));
let dir: string;
let fifo: string | undefined;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'berth-deadline-'));
});
afterAll(async () => {
  // Gives the blocked reader a writer and then an end: its open returns, it reads nothing, it ends.
  if (fifo) closeSync(openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK));
  await rm(dir, { recursive: true, force: true });
});

it('gives up a restore stuck reading the backup store at BACKUP_TIMEOUT_MS (and a moment), freeing the service', async () => {
  await new ProjectStore(database().db).create({ name: 'shop', envSealed: null, buildEnvSealed: null });
  const service = await new ServiceStore(database().db, secrets).add('shop', { type: 'redis', name: 'cache', image: 'redis:7', version: '7', envName: 'REDIS_URL', previews: false }, 5);
  // Up, as the upkeep records a running service (a restore into one not yet up first waits for it: service-ready.ts).
  await new ServiceStore(database().db, secrets).recordState(service.id, { status: 'running', message: null, restarts: 0 });
  const backups = new BackupStore(database().db);
  const backup = await backups.create('shop', 'cache', 'backup');
  await backups.finish(backup.id, { status: 'succeeded', bytes: 1 });
  await mkdir(path.join(dir, 'shop'));
  fifo = path.join(dir, 'shop', `${backup.id}.bkp`);
  execFileSync('mkfifo', [fifo]);
  const restore = await backups.create('shop', 'cache', 'restore', backup.id);

  const started = Date.now();
  const deps = {
    docker: {} as Docker, // never reached: the store's file is read (and checked) before any exec
    backups,
    services: new ServiceStore(database().db, secrets),
    files: new BackupFiles(dir),
    secrets,
    instance: 'bdl',
    logger: createLogger('t', 'silent'),
    keep: 7,
    timeoutMs: 1000,
    restartTimeoutMs: 500,
    minIntervalMs: 60_000,
  };
  await carryOutBackup(deps, restore.id);
  const elapsed = Date.now() - started;
  const ended = (await backups.get(restore.id))!;
  expect([ended.status, ended.error_code]).toEqual(['failed', 'BACKUP_TIMED_OUT']);
  expect(elapsed).toBeGreaterThanOrEqual(1000);
  expect(elapsed).toBeLessThan(15_000); // the timeout, the Redis restart allowance and a grace
  // The service is free for the next operation (at most one queued or running per service).
  expect((await backups.create('shop', 'cache', 'backup')).status).toBe('queued');
}, 30_000);
