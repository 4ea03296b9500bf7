/**
 * Two (or more) builds of the API side by side, in one run: each compiled
 * API (`<checkout>/apps/api/dist/main.js`, built there) on a bench database
 * of its own, and the POST phases of bench/api.ts (one project; a project
 * each), a GET of a queued deployment and a GET of the list's first page,
 * taken in turn, round after round, so that each build meets the same
 * moments of a shared machine. Per phase: requests/s, p50/p99, the API
 * process's CPU per request and Postgres transactions per request; then the
 * medians.
 *
 *   node --conditions=@berth/source --import tsx bench/api-compare.ts before=/path/to/other/checkout after=.
 *
 * BENCH_ROUNDS (3), BENCH_SECONDS (5); 20 connections, as bench:api.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createRedis } from '@berth/shared/redis';
import { queuePrefix } from '@berth/shared/redis-keys';
import { freePort } from '@berth/testing/ports';
import { createBenchDatabase, type BenchDatabase } from './bench-db.ts';
import { get, median, until } from './platform.ts';
import { sized, smoke } from './bench-size.ts';

interface Result {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: Record<string, unknown>) => Promise<Result>;

const builds = process.argv.slice(2).map((arg) => {
  const at = arg.indexOf('=');
  if (at < 1) throw new Error(`"${arg}": give name=checkout`);
  return { name: arg.slice(0, at), root: path.resolve(arg.slice(at + 1)) };
});
if (builds.length < 2) throw new Error('give two builds or more: before=<checkout> after=<checkout>');
const seconds = sized('BENCH_SECONDS', 5, 1);
const rounds = sized('BENCH_ROUNDS', 3, 1);
const connections = 20;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const token = randomBytes(24).toString('hex');

/** CPU seconds a process used so far (Linux /proc). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const apis: { name: string; process: ChildProcess; url: string; instance: string; db: BenchDatabase; queued?: string }[] = [];
const redis = createRedis(redisUrl);
try {
  for (const { name, root } of builds) {
    const db = await createBenchDatabase(`cmp${name.replace(/\W/g, '')}`);
    const port = await freePort();
    const instance = `benchcmp${name.replace(/\W/g, '')}${process.pid}`;
    const child = spawn('node', ['apps/api/dist/main.js'], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        REDIS_URL: redisUrl,
        BERTH_INSTANCE: instance,
        API_PORT: String(port),
        BERTH_ADMIN_TOKEN: token,
        BERTH_SECRET_KEY: randomBytes(32).toString('hex'),
        GIT_ALLOW_PRIVATE_HOSTS: '1',
        DEPLOY_RATE_LIMIT: '100000000',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    apis.push({ name, process: child, url: `http://127.0.0.1:${port}`, instance, db });
  }
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const gitUrl = 'http://127.0.0.1:9/bench/app.git';
  let n = 0;
  const phases = {
    'one project': (api: (typeof apis)[number]) => ({ url: `${api.url}/api/deployments`, method: 'POST', headers: auth, body: JSON.stringify({ gitUrl, ref: 'main' }) }),
    'a project each': (api: (typeof apis)[number]) => ({
      url: `${api.url}/api/deployments`,
      method: 'POST',
      headers: auth,
      requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: JSON.stringify({ gitUrl, name: `cmp${n++}` }) }) }],
    }),
    // A project of its own, which no POST phase deploys to: it stays queued behind everything they enqueue.
    'GET queued': (api: (typeof apis)[number]) => ({ url: `${api.url}/api/deployments/${api.queued}`, headers: auth }),
    'GET list': (api: (typeof apis)[number]) => ({ url: `${api.url}/api/deployments`, headers: auth }),
  };
  for (const api of apis) await until(async () => (await get(`${api.url}/healthz`)) === 200, `${api.name} up`);
  for (const api of apis) {
    const made = await fetch(`${api.url}/api/deployments`, { method: 'POST', headers: auth, body: JSON.stringify({ gitUrl, name: 'cmp-read-target' }) });
    api.queued = ((await made.json()) as { id: string }).id;
  }
  // Warm-up (JIT, connection pools), not counted.
  for (const api of apis) await autocannon({ ...phases['one project'](api), connections, duration: smoke ? 1 : 2 });
  const seen: Record<string, { rps: number[]; cpu: number[] }> = {};
  for (let round = 0; round < rounds; round++) {
    for (const phase of Object.keys(phases) as (keyof typeof phases)[]) {
      // Every other round the other order, so neither build always goes first.
      for (const api of round % 2 ? [...apis].reverse() : apis) {
        const commits = await api.db.commits();
        const cpu = cpuSeconds(api.process.pid!);
        const r = await autocannon({ ...phases[phase](api), connections, duration: seconds });
        const used = cpuSeconds(api.process.pid!) - cpu;
        await new Promise((resolve) => setTimeout(resolve, 1100)); // Postgres statistics lag about a second
        const requests = r.requests.average * seconds;
        const xacts = ((await api.db.commits()) - commits) / requests;
        const entry = (seen[`${api.name}, ${phase}`] ??= { rps: [], cpu: [] });
        entry.rps.push(r.requests.average);
        entry.cpu.push((used * 1e6) / requests);
        console.log(
          `${`${api.name}, ${phase}`.padEnd(28)} req/s ${r.requests.average.toFixed(0).padStart(5)}   p50 ${String(r.latency.p50).padStart(3)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   api cpu ${((used * 1e6) / requests).toFixed(0).padStart(4)} µs/req   pg xacts ${xacts.toFixed(2)}/req   non-2xx ${r.non2xx + r.errors}   load ${loadavg()[0]!.toFixed(1)}`,
        );
      }
    }
  }
  console.log('medians:');
  for (const [key, { rps, cpu }] of Object.entries(seen)) {
    console.log(`${key.padEnd(28)} req/s ${median(rps).toFixed(0).padStart(5)} (${rps.map((x) => x.toFixed(0)).join(', ')})   api cpu ${median(cpu).toFixed(0)} µs/req`);
  }
} finally {
  for (const api of apis) {
    if (api.process.exitCode === null) {
      const exited = new Promise((resolve) => api.process.once('exit', resolve));
      api.process.kill('SIGTERM');
      await exited;
    }
    const keys = [...(await redis.keys(`${queuePrefix(api.instance)}*`)), ...(await redis.keys(`berth:${api.instance}:*`))];
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    await api.db.drop();
  }
  await redis.quit();
}
