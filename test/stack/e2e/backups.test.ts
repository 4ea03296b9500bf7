import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from '@berth/testing/deployments';
import { repoRoot } from '@berth/testing/paths';
import { waitFor } from '@berth/testing/ports';
import { serviceStackEnv } from '@berth/testing/service-images';
import { startStack, testToken, type Stack } from '@berth/testing/stack';

// Backups and restores of managed services (issue 29 item 4) on the real stack: a Postgres table
// and Redis keys come back after a restore; a tampered file is refused and nothing of it applied;
// another project's credential cannot list, take, download or restore.
const run = promisify(execFile);
let stack: Stack;
let backupDir: string;

beforeAll(async () => {
  backupDir = await mkdtemp(path.join(os.tmpdir(), 'berth-backups-'));
  stack = await startStack({ workers: 1, env: { ...(await serviceStackEnv()), BACKUP_DIR: backupDir, WEBHOOK_ALLOW_PRIVATE_HOSTS: 'true' } });
}, 660_000);
afterAll(async () => {
  await stack?.close();
  if (backupDir) await rm(backupDir, { recursive: true, force: true });
}, 120_000);

const api = (method: string, url: string, payload?: unknown) => callApi(stack, method, url, payload);
const base = '/api/projects/shop/services';

async function running(name: string): Promise<any> {
  return waitFor(`shop/${name} running`, async () => {
    const s = (await api('GET', `/api/projects/shop/services`)).body.items.find((x: any) => x.name === name);
    return s?.status === 'running' ? s : undefined;
  }, 180_000, 250);
}

/** The backup or restore once it ended. */
async function ended(service: string, id: string): Promise<any> {
  return waitFor(`${service} ${id} ended`, async () => {
    const row = (await api('GET', `${base}/${service}/backups`)).body.items.find((b: any) => b.id === id);
    return row && (row.status === 'succeeded' || row.status === 'failed') ? row : undefined;
  }, 120_000, 200);
}

async function take(service: string): Promise<any> {
  const res = await api('POST', `${base}/${service}/backups`);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body;
}

async function restore(service: string, id: string): Promise<any> {
  const res = await api('POST', `${base}/${service}/backups/${id}/restore`);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return ended(service, res.body.id);
}

/** The CLI as a user runs it (apps/cli/bin/berth.mjs). */
const cli = async (...args: string[]) =>
  (await run('node', ['apps/cli/bin/berth.mjs', 'backups', ...args], { cwd: repoRoot, env: { ...process.env, BERTH_URL: stack.apiUrl, BERTH_TOKEN: testToken } })).stdout;
const psql = async (container: string, sql: string) =>
  (await run('docker', ['exec', container, 'sh', '-c', `PGPASSWORD="$POSTGRES_PASSWORD" psql -h 127.0.0.1 -U berth -d berth -tAc "${sql}"`])).stdout.trim();
const redis = async (container: string, ...args: string[]) => (await run('docker', ['exec', container, 'redis-cli', ...args])).stdout.trim();

describe('service backups', () => {
  it('restores rows and keys, refuses a tampered file untouched, keeps other projects out, takes scheduled ones', async () => {
    for (const name of ['shop', 'other']) expect((await api('POST', '/api/projects', { name })).status).toBe(201);
    expect((await api('POST', base, { type: 'postgres', name: 'db' })).status).toBe(201);
    expect((await api('POST', base, { type: 'redis', name: 'cache' })).status).toBe(201);
    const hook = await api('POST', '/api/projects/shop/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['backup.failed'] });
    expect(hook.status).toBe(201);
    const db = (await running('db')).container as string;
    const cache = (await running('cache')).container as string;
    await psql(db, 'create table notes (n int); insert into notes values (1), (2), (3)');
    expect(await redis(cache, 'set', 'greeting', 'hello')).toBe('OK');

    // One at a time per service; a backup of each.
    const pgBackup = await take('db');
    expect((await api('POST', `${base}/db/backups`)).body.error.code).toBe('CONFLICT');
    const redisBackup = await take('cache');
    const pgDone = await ended('db', pgBackup.id);
    const redisDone = await ended('cache', redisBackup.id);
    expect([pgDone.status, pgDone.errorMessage, redisDone.status, redisDone.errorMessage]).toEqual(['succeeded', null, 'succeeded', null]);
    expect(pgDone.bytes).toBeGreaterThan(0);
    const stored = await readFile(path.join(backupDir, 'shop', `${pgBackup.id}.bkp`));
    expect(stored.includes(Buffer.from('PGDMP'))).toBe(false); // encrypted at rest

    // Downloads: the decrypted gzip of the dump.
    const download = await stack.inject({ method: 'GET', url: `${base}/db/backups/${pgBackup.id}/download` });
    expect([download.statusCode, download.headers['content-type']]).toEqual([200, 'application/gzip']);
    expect(gunzipSync(download.rawPayload).subarray(0, 5).toString()).toBe('PGDMP');
    const rdb = await stack.inject({ method: 'GET', url: `${base}/cache/backups/${redisBackup.id}/download` });
    expect(gunzipSync(rdb.rawPayload).subarray(0, 5).toString()).toBe('REDIS');

    // The CLI lists them and downloads one.
    expect(await cli('shop', 'db')).toMatch(new RegExp(`${pgBackup.id}\\s+backup\\s+succeeded`));
    const saved = path.join(backupDir, 'cli-download.gz');
    await cli('shop', 'cache', 'download', redisBackup.id, saved);
    expect(gunzipSync(await readFile(saved)).subarray(0, 5).toString()).toBe('REDIS');

    // The data goes; a restore brings it back.
    await psql(db, 'drop table notes');
    expect(await redis(cache, 'set', 'greeting', 'changed')).toBe('OK');
    expect(await redis(cache, 'set', 'extra', 'x')).toBe('OK');
    const pgRestored = await restore('db', pgBackup.id);
    const redisRestored = await restore('cache', redisBackup.id);
    expect([pgRestored.status, pgRestored.errorMessage, redisRestored.status, redisRestored.errorMessage]).toEqual(['succeeded', null, 'succeeded', null]);
    expect(await psql(db, 'select sum(n) from notes')).toBe('6');
    expect([await redis(cache, 'get', 'greeting'), await redis(cache, 'exists', 'extra')]).toEqual(['hello', '0']);

    // A tampered file: refused on restore (nothing of it applied) and on download; backup.failed sent.
    await psql(db, 'insert into notes values (100)');
    const tampered = Buffer.from(stored);
    tampered[Math.floor(tampered.length / 2)]! ^= 1;
    await writeFile(path.join(backupDir, 'shop', `${pgBackup.id}.bkp`), tampered);
    const refused = await restore('db', pgBackup.id);
    expect([refused.status, refused.errorCode]).toEqual(['failed', 'BACKUP_CORRUPT']);
    expect(await psql(db, 'select sum(n) from notes')).toBe('106');
    const corruptDownload = await api('GET', `${base}/db/backups/${pgBackup.id}/download`);
    expect([corruptDownload.status, corruptDownload.body.error.code]).toEqual([409, 'BACKUP_CORRUPT']);
    const failedEvents = await stack.db.db.selectFrom('webhook_deliveries').select('payload').where('event', '=', 'backup.failed').execute();
    expect(failedEvents.map((d) => (d.payload as { data: { id: string } }).data.id)).toEqual([refused.id]);

    // Wrong ids and another project's credential.
    expect((await api('POST', `${base}/db/backups/${redisBackup.id}/restore`)).status).toBe(404);
    expect((await api('POST', `${base}/db/backups/${pgRestored.id}/restore`)).status).toBe(404);
    expect((await api('GET', `${base}/db/backups/nope/download`)).status).toBe(400);
    expect((await api('POST', `${base}/nope/backups`)).status).toBe(404);
    const key = (await api('POST', '/api/projects/other/deploy-keys', { name: 'ci' })).body.key as string;
    expect(key).toMatch(/^berthdk_/);
    const asOther = async (method: 'GET' | 'POST', url: string) => (await stack.inject({ method, url, headers: { authorization: `Bearer ${key}` } })).statusCode;
    expect(await asOther('GET', `${base}/db/backups`)).toBe(404);
    expect(await asOther('POST', `${base}/db/backups`)).toBe(404);
    expect(await asOther('GET', `${base}/cache/backups/${redisBackup.id}/download`)).toBe(404);
    expect(await asOther('POST', `${base}/cache/backups/${redisBackup.id}/restore`)).toBe(404);

    // A schedule (every second here): backups come by themselves until it is cleared.
    const schedule = (service: string, value: string | null) => api('PUT', `${base}/${service}/backup-schedule`, { schedule: value });
    expect([(await schedule('cache', '61 * * * *')).body.error.code, (await schedule('nope', '* * * * *')).status]).toEqual(['INVALID_SCHEDULE', 404]);
    expect((await schedule('cache', '* * * * * *')).body).toMatchObject({ service: 'cache', schedule: '* * * * * *' });
    await waitFor('a scheduled backup', async () => (await api('GET', `${base}/cache/backups`)).body.items.filter((b: any) => b.kind === 'backup' && b.status === 'succeeded').length >= 2, 60_000, 250);
    expect((await schedule('cache', null)).body).toEqual({ service: 'cache', schedule: null, nextBackupAt: null });
  }, 300_000);
});
