/**
 * Log path benchmark: the real worker-side publisher (LogSink: Redis INCRBY →
 * Postgres → Redis PUBLISH) → the real API process (one subscription, SSE
 * fan-out) → SSE clients over HTTP. Compared in the same run with a baseline
 * of raw Redis pub/sub carrying the same batch payloads to the same number of
 * subscribers (the physical limit of this machine).
 *
 *   npm run bench:logs        (LINES=200000 VIEWER_LINES=30000 by default)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createDb } from '@berth/shared/db';
import { DeploymentStore } from '@berth/shared/deployment-store';
import { LogStore } from '@berth/shared/log-store';
import { encodeEvent, type LogBatchEvent } from '@berth/shared/events';
import { newDeploymentId } from '@berth/shared/ids';
import { createLogger } from '@berth/shared/logger';
import { createRedis } from '@berth/shared/redis';
import { migrateToLatest } from '@berth/migrations/migrate';
import { LogSink } from '@berth/worker/log-sink';
import { freePort } from '@berth/testing/ports';
import { dropDatabase } from '@berth/testing/drop-database';
import { sized } from './bench-size.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const oneViewerLines = sized('LINES', 200_000, 2_000);
const manyViewerLines = sized('VIEWER_LINES', 30_000, 500);
const manyViewers = sized('VIEWERS', 100, 5);
const warmUpLines = sized('WARM_UP_LINES', 5_000, 500);
const steadyOneLines = sized('STEADY_LINES', 60_000, 2_000);
const steadyManyLines = sized('STEADY_VIEWER_LINES', 20_000, 500);
const baseDb = process.env.DATABASE_URL ?? 'postgres://berth:berth@127.0.0.1:5432/berth';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const instance = `blog${process.pid}`;
const benchToken = `berth_bench_token_${process.pid}_0123456789`;
const payload = (i: number) => `#${i} npm info lifecycle build step output with a realistic length of text ..... ok`;

interface Result {
  linesPerSec: number;
  perViewerLinesPerSec: number;
  p50: number;
  p99: number;
  lost: number;
}

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Waits for `done`, at most `ms`; the timer does not keep the process alive after the run (unref). */
function atMost(done: Promise<unknown>, ms: number): Promise<unknown> {
  return Promise.race([done, new Promise((r) => setTimeout(r, ms).unref())]);
}

/** A lean SSE client: counts `id:` lines, checks they are consecutive, samples latency. */
function sseViewer(url: string, expected: number, latencies: number[]) {
  let last = 0;
  let outOfOrder = 0;
  let buffer = '';
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const req = http.get(url, { agent: false, headers: { authorization: `Bearer ${benchToken}` } }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      const cut = buffer.lastIndexOf('\n\n');
      if (cut === -1) return;
      const complete = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const now = Date.now();
      let at = 0;
      while ((at = complete.indexOf('\nid: ', at)) !== -1) {
        const end = complete.indexOf('\n', at + 5);
        const seq = Number(complete.slice(at + 5, end));
        if (seq !== last + 1) outOfOrder++;
        last = seq;
        if (seq % 97 === 0) {
          const ts = complete.indexOf('"ts":"', end);
          latencies.push(now - Date.parse(complete.slice(ts + 6, ts + 30)));
        }
        at = end;
      }
      if (last >= expected) {
        req.destroy();
        resolveDone();
      }
    });
  });
  req.on('error', () => resolveDone());
  return { done, received: () => last - outOfOrder, outOfOrder: () => outOfOrder };
}

/**
 * `rate` undefined: write as fast as possible (throughput; latency then only
 * measures the backlog). `rate` in lines/s: a steady build, for latency.
 */
async function berthRun(apiUrl: string, store: DeploymentStore, lines: number, viewers: number, rate?: number): Promise<Result> {
  const id = newDeploymentId();
  await store.create({ id, project: 'bench', sourceType: 'git', gitUrl: 'https://x/y.git', rootDir: '', port: 3000, env: {} });
  const redis = createRedis(redisUrl);
  const sink = new LogSink({ redis, logs: new LogStore(db), instance, deploymentId: id, flushMs: 20, maxBatch: 1000, logger: createLogger('bench', 'warn') });
  await sink.init();
  const latencies: number[] = [];
  const clients = Array.from({ length: viewers }, () => sseViewer(`${apiUrl}/api/deployments/${id}/events`, lines, latencies));
  await new Promise((r) => setTimeout(r, 300)); // all connected and subscribed
  const t0 = performance.now();
  if (rate) {
    const perTick = Math.max(1, Math.round(rate / 100));
    for (let i = 1; i <= lines; ) {
      const tickStart = performance.now();
      for (let k = 0; k < perTick && i <= lines; k++, i++) sink.write('build', payload(i));
      await new Promise((r) => setTimeout(r, Math.max(0, 10 - (performance.now() - tickStart))));
    }
  } else {
    for (let i = 1; i <= lines; i++) {
      sink.write('build', payload(i));
      if (i % 1000 === 0) await new Promise((r) => setImmediate(r)); // a build produces output over time
    }
  }
  await sink.flush();
  await atMost(Promise.all(clients.map((c) => c.done)), 120_000);
  const seconds = (performance.now() - t0) / 1000;
  const lost = clients.reduce((n, c) => n + (lines - c.received()), 0);
  await sink.close();
  await redis.quit();
  return {
    linesPerSec: (lines * viewers) / seconds,
    perViewerLinesPerSec: lines / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    lost,
  };
}

/** Raw Redis pub/sub: the same batches (1000 lines, same JSON) to N subscribers. */
async function baselineRun(lines: number, subscribers: number): Promise<Result> {
  const channel = `bench-raw-${process.pid}-${Math.random()}`;
  const latencies: number[] = [];
  const subs = await Promise.all(
    Array.from({ length: subscribers }, async () => {
      const sub = createRedis(redisUrl);
      let received = 0;
      let resolveDone!: () => void;
      const done = new Promise<void>((r) => (resolveDone = r));
      sub.on('message', (_c: string, raw: string) => {
        const event = JSON.parse(raw) as LogBatchEvent;
        received += event.lines.length;
        const now = Date.now();
        for (const l of event.lines) if (l.seq % 97 === 0) latencies.push(now - Date.parse(l.ts));
        if (received >= lines) resolveDone();
      });
      await sub.subscribe(channel);
      return { sub, done, received: () => received };
    }),
  );
  const pub = createRedis(redisUrl);
  const t0 = performance.now();
  for (let start = 1; start <= lines; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, lines - start + 1) }, (_, i) => ({
      seq: start + i,
      ts: new Date().toISOString(),
      stream: 'build' as const,
      line: payload(start + i),
    }));
    await pub.publish(channel, encodeEvent({ type: 'log', deploymentId: 'bench', lines: batch }));
  }
  await atMost(Promise.all(subs.map((s) => s.done)), 120_000);
  const seconds = (performance.now() - t0) / 1000;
  const lost = subs.reduce((n, s) => n + (lines - s.received()), 0);
  await pub.quit();
  for (const s of subs) await s.sub.quit();
  return { linesPerSec: (lines * subscribers) / seconds, perViewerLinesPerSec: lines / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), lost };
}

const fmt = (r: Result) =>
  `${Math.round(r.perViewerLinesPerSec).toLocaleString('en')} lines/s per viewer, ${Math.round(r.linesPerSec).toLocaleString('en')} lines/s delivered, p50 ${r.p50} ms, p99 ${r.p99} ms, lost ${r.lost}`;

// A database and a real API process for this run.
const dbName = `berth_benchlogs_${process.pid}`;
const admin = new pg.Client({ connectionString: baseDb });
await admin.connect();
await admin.query(`create database ${dbName}`);
const dbUrl = new URL(baseDb);
dbUrl.pathname = `/${dbName}`;
const db = createDb(dbUrl.toString());
await migrateToLatest(db);
const store = new DeploymentStore(db);
const port = await freePort();
const api = spawn('node', ['--conditions=@berth/source', '--import', 'tsx', 'apps/api/src/main.ts'], {
  cwd: root,
  env: { ...process.env, DATABASE_URL: dbUrl.toString(), REDIS_URL: redisUrl, BERTH_INSTANCE: instance, API_PORT: String(port), LOG_LEVEL: 'warn', BERTH_ADMIN_TOKEN: benchToken, BERTH_SECRET_KEY: randomBytes(32).toString('hex'), SSE_MAX_BUFFER_BYTES: String(64 * 1024 * 1024), MAX_EVENT_STREAMS_PER_TOKEN: '500' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const apiUrl = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  const ok = await fetch(`${apiUrl}/healthz`).then((r) => r.ok, () => false);
  if (ok) break;
  if (i > 200) throw new Error('api did not start');
  await new Promise((r) => setTimeout(r, 50));
}
try {
  await berthRun(apiUrl, store, warmUpLines, 1); // warm-up
  const raw1 = await baselineRun(oneViewerLines, 1);
  const berth1 = await berthRun(apiUrl, store, oneViewerLines, 1);
  const rawN = await baselineRun(manyViewerLines, manyViewers);
  const berthN = await berthRun(apiUrl, store, manyViewerLines, manyViewers);
  console.log(`one viewer, ${oneViewerLines} lines:`);
  console.log(`  raw redis pub/sub: ${fmt(raw1)}`);
  console.log(`  berth (sink→pg→redis→api→sse): ${fmt(berth1)}`);
  console.log(`  ratio berth/raw throughput: ${(berth1.perViewerLinesPerSec / raw1.perViewerLinesPerSec).toFixed(2)}`);
  console.log(`${manyViewers} viewers, ${manyViewerLines} lines each:`);
  console.log(`  raw redis pub/sub: ${fmt(rawN)}`);
  console.log(`  berth (sink→pg→redis→api→sse): ${fmt(berthN)}`);
  console.log(`  ratio berth/raw throughput: ${(berthN.perViewerLinesPerSec / rawN.perViewerLinesPerSec).toFixed(2)}`);
  const steady1 = await berthRun(apiUrl, store, steadyOneLines, 1, 20_000);
  const steadyN = await berthRun(apiUrl, store, steadyManyLines, manyViewers, 5_000);
  console.log('steady builds (latency under a realistic rate, not a flood):');
  console.log(`  1 viewer at 20,000 lines/s: ${fmt(steady1)}`);
  console.log(`  ${manyViewers} viewers at 5,000 lines/s: ${fmt(steadyN)}`);
  console.log('(latency: from the line being written in the worker to its receipt by the viewer, sampled every 97th line)');
} finally {
  api.kill('SIGTERM');
  await new Promise((r) => api.once('exit', r));
  await db.destroy();
  await dropDatabase(admin, dbName);
  await admin.end();
}
