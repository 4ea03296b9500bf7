/**
 * Start-up time and resident memory of each program, run through tsx (the
 * TypeScript sources, as before) and compiled (dist/, as `npm run up` runs
 * them now), alternating, several rounds, in one run. Loaded: from spawn to
 * the first log line ("starting": every module is loaded). Ready: to the
 * program's "ready" log line (connections made, listening). Memory: VmRSS of the process 2 s after it
 * was ready, idle. Needs `npm run build` first (scripts/bench.sh does it).
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from '@berth/testing/ports';
import { ensureNetwork, median } from './platform.ts';
import { dropDatabase } from '@berth/testing/drop-database';
import { sized } from './bench-size.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rounds = sized('BENCH_ROUNDS', 5, 1);
const idleMs = sized('BENCH_IDLE_MS', 2000, 200);
const baseDb = process.env.DATABASE_URL ?? 'postgres://berth:berth@127.0.0.1:5432/berth';
const modes = {
  tsx: (program: string) => ['--conditions=@berth/source', '--import', 'tsx', `apps/${program}/src/main.ts`],
  compiled: (program: string) => [`apps/${program}/dist/main.js`],
} as const;
const ready: Record<string, (line: { msg?: string }) => boolean> = {
  api: (l) => l.msg?.startsWith('Server listening') ?? false,
  worker: (l) => l.msg === 'worker ready',
  'router-sync': (l) => l.msg === 'router-sync ready',
};

const dbName = `berth_bench_start_${process.pid}`;
const admin = new pg.Client({ connectionString: baseDb });
await admin.connect();
await admin.query(`create database ${dbName}`);
const dbUrl = new URL(baseDb);
dbUrl.pathname = `/${dbName}`;
const adminPort = await freePort();
const cfgDir = mkdtempSync(path.join(os.tmpdir(), 'berth-bench-start-'));
writeFileSync(path.join(cfgDir, 'caddy.json'), JSON.stringify({ admin: { listen: `127.0.0.1:${adminPort}` } }));
const caddy = spawn('caddy', ['run', '--config', path.join(cfgDir, 'caddy.json')], { stdio: 'ignore', env: { ...process.env, HOME: cfgDir } });
const network = 'berth-bench';
ensureNetwork(network);
const env = {
  ...process.env,
  DATABASE_URL: dbUrl.toString(),
  BERTH_INSTANCE: `b${randomBytes(3).toString('hex')}`,
  BERTH_NETWORK: network,
  CADDY_ADMIN_URL: `http://127.0.0.1:${adminPort}`,
  CADDY_HTTP_LISTEN: `127.0.0.1:${await freePort()}`,
  BERTH_ADMIN_TOKEN: `berth_${randomBytes(16).toString('hex')}`,
  BERTH_SECRET_KEY: randomBytes(32).toString('hex'),
  LOG_LEVEL: 'info',
};
execFileSync('node', ['migrations/dist/migrate-cli.js'], { cwd: root, env, stdio: 'ignore' });

async function once(program: string, mode: keyof typeof modes): Promise<{ loadedMs: number; ms: number; rssMb: number }> {
  const started = performance.now();
  const child = spawn('node', modes[mode](program), { cwd: root, env: { ...env, API_PORT: String(await freePort()) }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((r) => child.once('exit', r));
  let loadedMs = 0;
  const ms = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d;
      for (const line of buffered.split('\n').slice(0, -1)) {
        try {
          const parsed = JSON.parse(line);
          if (parsed.msg === 'starting') loadedMs = performance.now() - started;
          if (ready[program]!(parsed)) resolve(performance.now() - started);
        } catch {}
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
    });
    child.once('exit', (code) => reject(new Error(`${program} (${mode}) exited ${code} before it was ready`)));
  });
  await new Promise((r) => setTimeout(r, idleMs));
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]);
  child.kill('SIGTERM');
  await exited;
  return { loadedMs, ms, rssMb: rssKb / 1024 };
}

const results: Record<string, { loaded: number[]; ms: number[]; rss: number[] }> = {};
try {
  for (let round = 0; round < rounds; round++) {
    for (const program of Object.keys(ready)) {
      for (const mode of (round % 2 ? ['compiled', 'tsx'] : ['tsx', 'compiled']) as (keyof typeof modes)[]) {
        const r = await once(program, mode);
        const key = `${program} ${mode}`;
        results[key] ??= { loaded: [], ms: [], rss: [] };
        results[key].loaded.push(r.loadedMs);
        results[key].ms.push(r.ms);
        results[key].rss.push(r.rssMb);
      }
    }
  }
  console.log(`median of ${rounds} rounds (Node ${process.version}, ${os.cpus().length} cores)`);
  console.log('| program | loaded: tsx | compiled | ratio | ready: tsx | compiled | ratio | RSS: tsx | compiled | ratio |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  const f = (n: number, unit: string) => `${n.toFixed(0)} ${unit}`;
  for (const program of Object.keys(ready)) {
    const t = results[`${program} tsx`]!;
    const c = results[`${program} compiled`]!;
    const row = [
      [median(t.loaded), median(c.loaded), 'ms'],
      [median(t.ms), median(c.ms), 'ms'],
      [median(t.rss), median(c.rss), 'MB'],
    ] as const;
    console.log(`| ${program} | ${row.map(([a, b, u]) => `${f(a, u)} | ${f(b, u)} | ${(b / a).toFixed(2)}`).join(' | ')} |`);
  }
} finally {
  caddy.kill('SIGTERM');
  await dropDatabase(admin, dbName);
  await admin.end();
  rmSync(cfgDir, { recursive: true, force: true });
}
