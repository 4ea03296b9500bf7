/**
 * Release benchmark: a steady load (4 kept-alive clients) on a project's URL
 * through Caddy, first with no release going on (the baseline), then during
 * RELEASES successive releases of the project. The clients never send a
 * request again (a kept-alive connection closed under one, as a Caddy config
 * load does, is a failed request). Prints failed requests,
 * p50/p99 latency against the baseline, and the switch time of each release:
 * from the new deployment passing its health check (its `running` transition)
 * to the first answer from it on the project URL. Then STOP_FIRST_RELEASES releases with
 * `deployStrategy: "stop-first"` (issue 28): the gap each leaves (the longest time without a
 * successful answer) and the requests that failed in it.
 *
 *   npm run bench:release          (RELEASES=10, BASELINE_MS=10000 by default)
 */
import http from 'node:http';
import pg from 'pg';
import { zipTestApp } from '@berth/testing/archives';
import { SteadyLoad, percentile, type LoadSample } from '@berth/testing/load';
import { ensureNetwork, startPlatform, until } from './platform.ts';
import { sized } from './bench-size.ts';

const releases = sized('RELEASES', 10, 1);
const baselineMs = sized('BASELINE_MS', 10_000, 1_000);
const drainMs = sized('DRAIN_MS', 5_000, 500);
// None at smoke size: each stop-first release waits out the old one's 10 s stop grace (bench-smoke's time).
const stopFirstReleases = sized('STOP_FIRST_RELEASES', 3, 0);
const network = 'berth-bench';
const instance = `benchrel${process.pid}`;
const token = `berth_bench_token_${process.pid}_0123456789`;

/**
 * One API call through Caddy, on a connection of its own (agent: false): a kept-alive one may be
 * closed under the next request by a proxy reload, and the call would end on `socket hang up`.
 */
function api(caddyUrl: string, method: string, pathname: string, body?: Buffer, contentType?: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${caddyUrl}${pathname}`,
      { method, agent: false, headers: { host: 'localhost', authorization: `Bearer ${token}`, ...(contentType ? { 'content-type': contentType } : {}) } },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve(JSON.parse(text)) : reject(new Error(`${res.statusCode} ${text}`))));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function deploy(caddyUrl: string, version: string): Promise<string> {
  const form = new FormData();
  form.append('projectArchive', new Blob([await zipTestApp('release', { 'version.txt': version })]), 'app.zip');
  const encoded = new Request('http://x/', { method: 'POST', body: form });
  const body = Buffer.from(await encoded.arrayBuffer());
  return (await api(caddyUrl, 'POST', '/api/projects/shop/deployments', body, encoded.headers.get('content-type')!)).id;
}

const epoch = (t: number) => performance.timeOrigin + t;
const summary = (label: string, samples: LoadSample[]) => {
  const lat = samples.map((s) => s.end - s.start);
  const errors = samples.filter((s) => s.status !== 200).length;
  for (const s of samples.filter((x) => x.status !== 200).slice(0, 5)) {
    console.log(`  failed: status ${s.status} ${s.error ?? s.body.slice(0, 100)} after ${(s.end - s.start).toFixed(0)} ms`);
  }
  console.log(
    `${label.padEnd(18)} requests ${String(samples.length).padStart(6)}  failed ${errors} (never resent)  p50 ${percentile(lat, 50).toFixed(1)} ms  p99 ${percentile(lat, 99).toFixed(1)} ms`,
  );
  return { p50: percentile(lat, 50), p99: percentile(lat, 99), errors };
};

/** stop-first: the old release stops before the new one starts; what that costs the project URL. */
async function stopFirstGaps(caddyUrl: string): Promise<void> {
  await api(caddyUrl, 'PATCH', '/api/projects/shop', Buffer.from(JSON.stringify({ deployStrategy: 'stop-first' })), 'application/json');
  const gaps: number[] = [];
  let failed = 0;
  for (let i = 1; i <= stopFirstReleases; i++) {
    const load = new SteadyLoad(`${caddyUrl}/`, 'shop.localhost', { concurrency: 4, resend: false });
    load.start();
    await deploy(caddyUrl, `s${i}`);
    await until(async () => load.latest() === `s${i}`, `s${i} served`, 120_000);
    const samples = await load.stop();
    failed += samples.filter((x) => x.status !== 200).length;
    // The longest stretch with no successful answer: a failing request and one Caddy holds count alike.
    const ends = samples.filter((x) => x.status === 200).map((x) => x.end).sort((a, b) => a - b);
    gaps.push(Math.max(0, ...ends.slice(1).map((end, k) => end - ends[k]!)));
  }
  console.log(`stop-first gap ms per release (longest time without an answer): ${gaps.map((g) => g.toFixed(0)).join(' ')}  failed requests ${failed} (start-first: 0)`);
}

ensureNetwork(network);
const platform = await startPlatform({
  instance,
  network,
  token,
  env: { DRAIN_MS: String(drainMs), REAPER_INTERVAL_MS: '1000', LOG_LEVEL: 'warn' },
});
const db = new pg.Client({ connectionString: platform.dbUrl });
await db.connect();
try {
  await api(platform.caddyUrl, 'POST', '/api/projects', Buffer.from(JSON.stringify({ name: 'shop', healthPath: '/healthz' })), 'application/json');
  const first = await deploy(platform.caddyUrl, 'v0');
  const served = (version: string) =>
    new Promise<boolean>((resolve) => {
      http
        .get(`${platform.caddyUrl}/`, { headers: { host: 'shop.localhost' }, agent: false }, (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve(text === version));
          res.on('error', () => resolve(false)); // a proxy reload may cut it: ask again
        })
        .on('error', () => resolve(false));
    });
  await until(() => served('v0'), `first release ${first}`, 120_000);

  const quiet = new SteadyLoad(`${platform.caddyUrl}/`, 'shop.localhost', { concurrency: 4, resend: false });
  quiet.start();
  await new Promise((r) => setTimeout(r, baselineMs));
  const base = summary('no releases', await quiet.stop());

  const load = new SteadyLoad(`${platform.caddyUrl}/`, 'shop.localhost', { concurrency: 4, resend: false });
  load.start();
  const ids: string[] = [];
  const t0 = performance.now();
  for (let v = 1; v <= releases; v++) {
    const id = await deploy(platform.caddyUrl, `v${v}`);
    ids.push(id);
    await until(async () => load.latest() === `v${v}`, `v${v} served`, 120_000);
  }
  const during = summary(`${releases} releases`, await load.stop());
  const seconds = (performance.now() - t0) / 1000;

  // Rollback to a stopped release (drained, container gone, image kept): POST → the project URL serves it.
  // Three back (v0 when fewer releases ran, as at smoke size).
  const versions = [first, ...ids];
  const back = Math.max(0, versions.length - 3);
  const target = versions[back]!;
  await until(async () => (await api(platform.caddyUrl, 'GET', `/api/deployments/${target}`).catch(() => ({}))).status === 'stopped', `${target} stopped`, 60_000);
  const rollbackLoad = new SteadyLoad(`${platform.caddyUrl}/`, 'shop.localhost', { concurrency: 4, resend: false });
  rollbackLoad.start();
  const r0 = performance.now();
  await api(platform.caddyUrl, 'POST', '/api/projects/shop/rollback', Buffer.from(JSON.stringify({ deploymentId: target })), 'application/json');
  await until(async () => rollbackLoad.latest() === `v${back}`, 'rollback served', 60_000);
  const rollbackMs = performance.now() - r0;
  const rolled = summary('rollback', await rollbackLoad.stop());

  // Switch time: the `running` transition (health check passed) → the first answer from that release.
  const switches: number[] = [];
  for (const [i, id] of ids.entries()) {
    const { rows } = await db.query<{ at: Date }>(`select at from deployment_transitions where deployment_id = $1 and status = 'running' order by id limit 1`, [id]);
    const healthy = rows[0]!.at.getTime();
    const firstAnswer = load.samples.filter((s) => s.body === `v${i + 1}`).map((s) => epoch(s.end)).sort((a, b) => a - b)[0]!;
    switches.push(firstAnswer - healthy);
  }
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');
  console.log(`releases took ${seconds.toFixed(1)} s in all`);
  console.log(`switch ms (healthy -> served): ${fmt(switches)}  p50 ${percentile(switches, 50).toFixed(0)}  p95 ${percentile(switches, 95).toFixed(0)}  max ${Math.max(...switches).toFixed(0)}`);
  console.log(`latency during releases vs none: p50 ${(during.p50 / base.p50).toFixed(2)}x  p99 ${(during.p99 / base.p99).toFixed(2)}x`);
  console.log(`failed requests during releases (a client that never resends): ${during.errors} (target 0); switch p95 target <= 250 ms`);
  console.log(`rollback to a stopped release (kept image, no build): ${rollbackMs.toFixed(0)} ms to serve it (target <= 5000), errors ${rolled.errors}`);
  if (stopFirstReleases > 0) await stopFirstGaps(platform.caddyUrl);
} finally {
  await db.end();
  await platform.stop();
}
