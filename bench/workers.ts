/**
 * A burst of 20 small deployments (test-apps/hello, each with a fresh file so
 * no build step is cached) with 1, 2 and 4 worker processes: deployments per
 * minute (first POST to the last one answering through Caddy) and queue wait
 * p95 (created → picked up by a worker). Baseline in the same run: the same
 * 20 builds with raw `docker build && docker run` (+ first answer),
 * sequentially and 2 at a time.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createDb } from '@berth/shared/db';
import { DeploymentStore } from '@berth/shared/deployment-store';
import { TransitionHistory } from '@berth/shared/transition-history';
import { zipTestApp } from '@berth/testing/archives';
import { ensureNetwork, get, postArchive, startPlatform, until } from './platform.ts';
import { sized, sizedList, smoke } from './bench-size.ts';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const burst = sized('BENCH_BURST', 20, 2);
const workerCounts = sizedList('BENCH_WORKERS', [1, 2, 4], [1]);
const network = 'berth-bench';
const benchToken = `berth_bench_token_${process.pid}_0123456789`;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const perMinute = (n: number, ms: number) => (n / ms) * 60_000;

/** One raw build + run + first answer; returns nothing, cleans up after itself. */
async function rawDeploy(i: number): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-bench-app-'));
  cpSync(path.join(root, 'test-apps/hello'), dir, { recursive: true });
  writeFileSync(path.join(dir, 'nonce.txt'), `${Date.now()}-${i}-${Math.random()}`);
  const tag = `berth-bench-workers-baseline:${process.pid}-${i}`;
  const name = `berth-bench-workers-baseline-${process.pid}-${i}`;
  try {
    await run('docker', ['build', '-q', '-t', tag, dir], { env: { ...process.env, DOCKER_BUILDKIT: '0' } });
    await run('docker', ['run', '-d', '--name', name, '--network', network, '-e', 'PORT=3000', tag]);
    const { stdout } = await run('docker', ['inspect', '-f', `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, name]);
    await until(async () => (await get(`http://${stdout.trim()}:3000/`)) === 200, 'baseline app');
  } finally {
    await run('docker', ['rm', '-f', name]).catch(() => {});
    await run('docker', ['rmi', '-f', tag]).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

async function baseline(parallel: number): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < burst) await rawDeploy(next++);
    }),
  );
  return performance.now() - t0;
}

async function answering(url: string, host: string): Promise<void> {
  const deadline = Date.now() + 600_000;
  while ((await get(url, host)) !== 200) {
    if (Date.now() > deadline) throw new Error(`timed out: ${host}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function liveWorkers(caddyUrl: string): Promise<number> {
  const res = await new Promise<string>((resolve) => {
    const req = http.get(`${caddyUrl}/api/workers`, { headers: { host: 'localhost', authorization: `Bearer ${benchToken}` } }, (r) => {
      let text = '';
      r.on('data', (c) => (text += c));
      r.on('end', () => resolve(text));
    });
    req.on('error', () => resolve('{}'));
  });
  try {
    return ((JSON.parse(res) as { items?: unknown[] }).items ?? []).length;
  } catch {
    return 0;
  }
}

async function berth(workers: number): Promise<{ ms: number; waits: number[] }> {
  const instance = `benchw${workers}x${process.pid}`;
  const platform = await startPlatform({
    instance,
    network,
    token: benchToken,
    workers,
    env: { DEPLOY_RATE_LIMIT: '1000' },
  });
  const db = createDb(platform.dbUrl, { max: 2 });
  try {
    // Every worker up and heartbeating before the burst: a queue wait is the queue's, not a start-up's.
    await until(async () => (await liveWorkers(platform.caddyUrl)) === workers, `${workers} workers up`, 120_000);
    // Archives are made before the clock starts: the burst is the POSTs.
    const archives = await Promise.all(
      Array.from({ length: burst }, (_, i) => zipTestApp('hello', { 'nonce.txt': `${Date.now()}-${i}-${Math.random()}` })),
    );
    const t0 = performance.now();
    // A project each: one project builds one deployment at a time, and a newer one supersedes its queued ones.
    const ids = await Promise.all(archives.map((a, i) => postArchive(platform.caddyUrl, benchToken, a, { name: `burst${i}` })));
    // Each app asked every 200 ms (not every 10 ms: 20 pollers would take a core from the builds).
    await Promise.all(ids.map((id) => answering(`${platform.caddyUrl}/`, `${id}.localhost`)));
    const ms = performance.now() - t0;
    const store = new DeploymentStore(db);
    const history = new TransitionHistory(db);
    const waits = await Promise.all(
      ids.map(async (id) => {
        const created = (await store.get(id))!.created_at.getTime();
        const picked = (await history.list(id)).find((t) => t.status !== 'queued')!.at.getTime();
        return picked - created;
      }),
    );
    return { ms, waits };
  } finally {
    await db.destroy();
    await platform.stop();
  }
}

ensureNetwork(network);
if (!smoke) await rawDeploy(999); // warm-up: page cache, base image layers
const seq = await baseline(1);
const two = await baseline(2);
console.log(`${burst} deployments (test-apps/hello, nothing cached), ${os.cpus().length} cores`);
console.log(`baseline raw docker build+run, one at a time   ${(seq / 1000).toFixed(1)} s  ${perMinute(burst, seq).toFixed(1)} deployments/min`);
console.log(`baseline raw docker build+run, two at a time   ${(two / 1000).toFixed(1)} s  ${perMinute(burst, two).toFixed(1)} deployments/min`);
for (const workers of workerCounts) {
  const { ms, waits } = await berth(workers);
  console.log(
    `berth, ${workers} worker process(es)                ${(ms / 1000).toFixed(1)} s  ${perMinute(burst, ms).toFixed(1)} deployments/min  (ratio to raw two at a time ${(two / ms).toFixed(2)})  queue wait p50 ${(pct(waits, 50) / 1000).toFixed(1)} s  p95 ${(pct(waits, 95) / 1000).toFixed(1)} s`,
  );
}
