import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
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
  // Short bounds: schedules at most every 2 s, an operation stopped after 20 s (a tiny dump takes that on a loaded machine), the store swept twice a second.
  const bounds = { BACKUP_MIN_INTERVAL_MS: '2000', BACKUP_TIMEOUT_MS: '20000', BACKUP_SWEEP_INTERVAL_MS: '500' };
  stack = await startStack({ workers: 1, env: { ...(await serviceStackEnv()), ...bounds, BACKUP_DIR: backupDir, WEBHOOK_ALLOW_PRIVATE_HOSTS: 'true' } });
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
const schedule = (service: string, value: string | null) => api('PUT', `${base}/${service}/backup-schedule`, { schedule: value });
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
    expect([pgDone.status, pgDone.errorMessage, redisDone.status, redisDone.errorMessage], JSON.stringify([pgDone, redisDone])).toEqual(['succeeded', null, 'succeeded', null]);
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

    // Into a new service (same type and image): the backup's rows there, the original left as it is.
    await psql(db, 'insert into notes values (10)');
    const into = await api('POST', `${base}/db/backups/${pgBackup.id}/restore`, { into: 'db-copy' });
    expect(into.status, JSON.stringify(into.body)).toBe(202);
    expect((await api('POST', `${base}/db/backups/${pgBackup.id}/restore`, { into: 'db-copy' })).body.error.code).toBe('CONFLICT');
    const copied = await ended('db-copy', into.body.id);
    expect([copied.status, copied.errorMessage], JSON.stringify(copied)).toEqual(['succeeded', null]);
    const copy = await running('db-copy');
    expect([copy.type, copy.image, copy.envName]).toEqual(['postgres', (await running('db')).image, 'DB_COPY_URL']);
    expect([await psql(copy.container, 'select sum(n) from notes'), await psql(db, 'select sum(n) from notes')]).toEqual(['6', '16']);
    expect((await api('DELETE', `${base}/db-copy?deleteData=true`)).status).toBe(200);
    await psql(db, 'delete from notes where n = 10');

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
    // Into a new service too: refused, the new service left empty.
    expect(await cli('shop', 'db', 'restore', pgBackup.id, '--into', 'db-bad')).toContain('new service shop/db-bad made');
    const [badInto] = (await api('GET', `${base}/db-bad/backups`)).body.items;
    const refusedInto = await ended('db-bad', badInto.id);
    expect([refusedInto.status, refusedInto.errorCode]).toEqual(['failed', 'BACKUP_CORRUPT']);
    expect(await psql((await running('db-bad')).container, "select count(*) from pg_tables where tablename = 'notes'")).toBe('0');
    expect((await api('DELETE', `${base}/db-bad?deleteData=true`)).status).toBe(200);
    const failedEvents = await stack.db.db.selectFrom('webhook_deliveries').select('payload').where('event', '=', 'backup.failed').execute();
    expect(failedEvents.map((d) => (d.payload as { data: { id: string } }).data.id).sort()).toEqual([refused.id, refusedInto.id].sort());

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

    // A schedule (every 2 s here, BACKUP_MIN_INTERVAL_MS): backups come by themselves until it is cleared.
    expect([(await schedule('cache', '61 * * * *')).body.error.code, (await schedule('nope', '* * * * *')).status]).toEqual(['INVALID_SCHEDULE', 404]);
    expect((await schedule('cache', '*/2 * * * * *')).body).toMatchObject({ service: 'cache', schedule: '*/2 * * * * *' });
    await waitFor('a scheduled backup', async () => (await api('GET', `${base}/cache/backups`)).body.items.filter((b: any) => b.kind === 'backup' && b.status === 'succeeded').length >= 2, 60_000, 250);
    expect((await schedule('cache', null)).body).toEqual({ service: 'cache', schedule: null, nextBackupAt: null });
  }, 300_000);

  it("closes doors: too frequent schedules, a restore's quoted rows for readers, a hung dump, deleted data's files", async () => {
    // 1. A schedule firing closer than BACKUP_MIN_INTERVAL_MS (2 s here), however it is written, and malformed ones: 400, never 500.
    for (const often of ['* * * * * *', '0,1 * * * * *', '*/1 * * * * *', '59,0 * * * * *']) {
      const res = await schedule('cache', often);
      expect([res.status, res.body.error?.code], often).toEqual([400, 'INVALID_SCHEDULE']);
    }
    for (const bad of ['H * * * *', '* * * * * * *', '0 0 31 2 *', '*/0 * * * *', '1-0 * * * *', 'L * * * *', '0 0 * * 8', '\u0000 * * * *', '9'.repeat(200)]) {
      const res = await schedule('cache', bad);
      expect([res.status, res.body.error?.code], bad).toEqual([400, 'INVALID_SCHEDULE']);
    }

    // 2. A restore failing with a row's value in pg_restore's output: readers see a sentence, admins the output too.
    const db = (await running('db')).container as string;
    const pgBackup = await ended('db', (await take('db')).id);
    expect(pgBackup.status, JSON.stringify(pgBackup)).toBe('succeeded');
    const secret = 'alice@secret.example';
    await psql(db, `create table keepme (v text); insert into keepme values ('${secret}')`);
    // (pg_restore empties search_path: the table by its schema.)
    await psql(db, "create function boom() returns event_trigger language plpgsql as 'begin raise exception ''refused: %'', (select v from public.keepme limit 1); end'");
    await psql(db, 'create event trigger boom on ddl_command_start execute function boom()');
    const failed = await restore('db', pgBackup.id);
    expect([failed.status, failed.errorCode, failed.errorMessage.includes(secret), failed.errorDetail.includes(secret)]).toEqual(['failed', 'BACKUP_FAILED', false, true]);
    expect(failed.errorMessage).toMatch(/^pg_restore exited with 1: the server refused one of its statements /); // Berth's phrase, not the output's
    const reader = (await api('POST', '/api/tokens', { name: 'reader', scope: 'read' })).body.token as string;
    const asReader = await stack.inject({ method: 'GET', url: `${base}/db/backups`, headers: { authorization: `Bearer ${reader}` } });
    expect(asReader.statusCode).toBe(200);
    expect(asReader.json().items.find((b: any) => b.id === failed.id)).toMatchObject({ status: 'failed', errorDetail: null });
    expect(asReader.body.includes(secret)).toBe(false);
    const hooks = await stack.db.db.selectFrom('webhook_deliveries').select('payload').where('event', '=', 'backup.failed').execute();
    expect(JSON.stringify(hooks).includes(secret)).toBe(false);
    await psql(db, 'drop event trigger boom');

    // 4. A dump that hangs (waiting for a lock) is stopped after BACKUP_TIMEOUT_MS, the service is free again, and Postgres never restarted.
    await run('docker', ['exec', '-d', db, 'sh', '-c', `PGPASSWORD="$POSTGRES_PASSWORD" psql -h 127.0.0.1 -U berth -d berth -c "begin; lock table keepme in access exclusive mode; select pg_sleep(120)"`]);
    await waitFor('the lock held', async () => (await psql(db, "select count(*) from pg_locks where mode = 'AccessExclusiveLock' and relation = 'keepme'::regclass")) === '1', 10_000, 100);
    const hung = await ended('db', (await take('db')).id);
    expect([hung.status, hung.errorCode]).toEqual(['failed', 'BACKUP_TIMED_OUT']);
    expect(new Date(hung.finishedAt).getTime() - new Date(hung.startedAt).getTime()).toBeLessThan(45_000);
    expect(await psql(db, "select count(*) from pg_stat_activity where application_name = 'pg_dump'")).toBe('0');
    const pgLog = await run('docker', ['logs', db]);
    expect(pgLog.stdout + pgLog.stderr).not.toMatch(/terminated by signal|recovery mode/);
    await psql(db, "select pg_terminate_backend(pid) from pg_stat_activity where query like '%pg_sleep(120)%' and pid <> pg_backend_pid()");
    const after = await ended('db', (await take('db')).id);
    expect(after.status, JSON.stringify(after)).toBe('succeeded');
    const timedOut = await stack.db.db.selectFrom('webhook_deliveries').select('payload').where('event', '=', 'backup.failed').execute();
    expect(timedOut.map((d) => (d.payload as { data: { id: string; errorCode: string } }).data).filter((d) => d.id === hung.id)).toMatchObject([{ errorCode: 'BACKUP_TIMED_OUT' }]);

    // 3. A service deleted with its data loses its backups' files; a deleted project its folder.
    const cacheFiles = (await api('GET', `${base}/cache/backups`)).body.items.filter((b: any) => b.kind === 'backup' && b.status === 'succeeded').map((b: any) => `${b.id}.bkp`);
    expect(cacheFiles.length).toBeGreaterThan(0);
    expect((await api('DELETE', `${base}/cache?deleteData=true`)).status).toBe(200);
    const inStore = async () => (await readdir(path.join(backupDir, 'shop')).catch(() => [] as string[])).filter((f) => f.endsWith('.bkp'));
    await waitFor("the deleted cache's backup files gone", async () => !(await inStore()).some((f) => cacheFiles.includes(f)), 60_000, 250);
    expect((await inStore()).length).toBeGreaterThan(0); // the db's stay
    expect((await api('DELETE', '/api/projects/shop')).status).toBeLessThan(300);
    await waitFor("the deleted project's backup folder gone", async () => !(await readdir(backupDir)).includes('shop'), 60_000, 250);
  }, 240_000);
});
