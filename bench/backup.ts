/**
 * Service backups (issue 29): Berth's backup and restore of a Postgres service (pg_dump streamed out
 * of the container, gzipped, encrypted into the backup store; the whole file checked, then
 * pg_restore --single-transaction) against pg_dump / pg_restore run directly (`docker exec`, the
 * custom format's own compression, a plain file) in the same run, on the same container. Goal:
 * Berth ≥ 0.8× the direct tools' MB/s (MB of the database, as pg_database_size counts it).
 *
 *   npm run bench:backup          # a 1 GB database (MB=… to change; ROUNDS=… rounds, medians)
 */
import { execFile, spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { BackupFiles } from '@berth/shared/backup-files';
import { SecretBox } from '@berth/shared/secret-box';
import { dumpToStore, restoreFromStore } from '../apps/worker/src/backups/backup-runner.ts';
import { sized } from './bench-size.ts';
import { median, until } from './platform.ts';

const run = promisify(execFile);
const megabytes = sized('MB', 1024, 1);
const rounds = sized('ROUNDS', 3, 1);
const password = 'bench-password';
const container = `berth-bench-backup-${process.pid}`;
const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-bench-backup-'));
const docker = new Docker();
const io = { docker, files: new BackupFiles(dir), secrets: new SecretBox(Buffer.alloc(32, 7)) };
const target = { container, type: 'postgres' as const, password };
const psql = (sql: string) => run('docker', ['exec', '-e', `PGPASSWORD=${password}`, container, 'psql', '-h', '127.0.0.1', '-U', 'berth', '-d', 'berth', '-tAc', sql], { maxBuffer: 1 << 20 });

try {
  const image = (await run('bash', ['scripts/make-service-images.sh'], { timeout: 900_000 })).stdout.trim().split('\n')[0]!;
  await run('docker', ['run', '-d', '--name', container, '-e', 'POSTGRES_USER=berth', '-e', 'POSTGRES_DB=berth', '-e', `POSTGRES_PASSWORD=${password}`, image]);
  await until(async () => (await psql('select 1').catch(() => undefined))?.stdout.trim() === '1', 'the Postgres container to answer', 120_000);
  // Rows like an app's: an id, a timestamp, some text that compresses like real text does (md5 hex).
  const rows = Math.ceil((megabytes * 1024 * 1024) / 150);
  await psql(`create table items (id bigint primary key, at timestamptz, body text); insert into items select g, now() - g * interval '1 second', md5(g::text) || repeat(md5((g*7)::text), 2) from generate_series(1, ${rows}) g`);
  const dbBytes = Number((await psql("select pg_database_size('berth')")).stdout.trim());
  const mb = dbBytes / 1e6;
  console.log(`database: ${mb.toFixed(0)} MB (${rows.toLocaleString('en')} rows), ${rounds} round(s)`);

  const times = { berthBackup: [] as number[], rawBackup: [] as number[], berthRestore: [] as number[], rawRestore: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    const id = `bkpbench${String(round).padStart(7, '0')}`;
    const raw = path.join(dir, `raw-${round}.dump`);
    times.rawBackup.push(await timed(() => rawDump(raw)));
    times.berthBackup.push(await timed(() => dumpToStore(io, target, { project: 'bench', id })));
    times.rawRestore.push(await timed(() => rawRestore(raw)));
    times.berthRestore.push(await timed(() => restoreFromStore(io, target, { project: 'bench', id })));
  }
  const rate = (ms: number[]) => mb / (median(ms) / 1000);
  console.log(`backup:  berth ${rate(times.berthBackup).toFixed(1)} MB/s, pg_dump -Fc ${rate(times.rawBackup).toFixed(1)} MB/s`);
  console.log(`restore: berth ${rate(times.berthRestore).toFixed(1)} MB/s, pg_restore ${rate(times.rawRestore).toFixed(1)} MB/s`);
  console.log(`ratio berth / direct (MB/s, medians): backup ${(rate(times.berthBackup) / rate(times.rawBackup)).toFixed(2)}, restore ${(rate(times.berthRestore) / rate(times.rawRestore)).toFixed(2)}`);
} finally {
  await run('docker', ['rm', '-f', '-v', container]).catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}

/** pg_dump as a user runs it by hand: the custom format (its own compression) into a file. */
async function rawDump(file: string): Promise<void> {
  const child = spawn('docker', ['exec', '-e', `PGPASSWORD=${password}`, container, 'pg_dump', '--format=custom', '-h', '127.0.0.1', '-U', 'berth', '-d', 'berth'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await Promise.all([pipeline(child.stdout, createWriteStream(file)), exited(child)]);
}

async function rawRestore(file: string): Promise<void> {
  const child = spawn('docker', ['exec', '-i', '-e', `PGPASSWORD=${password}`, container, 'pg_restore', '--clean', '--if-exists', '--single-transaction', '-h', '127.0.0.1', '-U', 'berth', '-d', 'berth'], { stdio: ['pipe', 'ignore', 'inherit'] });
  await Promise.all([pipeline(createReadStream(file), child.stdin), exited(child)]);
}

function exited(child: ReturnType<typeof spawn>): Promise<void> {
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${child.spawnargs.join(' ')} exited ${code}`)))));
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}
