/**
 * The API under load (autocannon): POST /api/deployments with a git source
 * (no worker runs: jobs wait in the queue) and GET /api/deployments/:id,
 * against a bare Fastify hello-world, each a compiled program in a process of
 * its own, in the same run. Reports requests/s and p99 and their ratios.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRedis } from '@berth/shared/redis';
import { queuePrefix } from '@berth/shared/redis-keys';
import { freePort } from '@berth/testing/ports';
import { createBenchDatabase } from './bench-db.ts';
import { get, until } from './platform.ts';
import { sized, smoke } from './bench-size.ts';

interface Result {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<Result>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const seconds = sized('BENCH_SECONDS', 10, 1);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const instance = `benchapi${process.pid}`;
const token = randomBytes(24).toString('hex');

const helloWorld = `
const app = require('fastify')();
app.get('/hello', async () => ({ hello: 'world' }));
app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
`;

function start(args: string[], env: Record<string, string>): ChildProcess {
  return spawn('node', args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function stop(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  await exited;
}

/** One phase: requests/s, latency, each process's CPU and Postgres transactions per request (what a request costs it). */
async function load(title: string, options: Record<string, unknown>): Promise<Result> {
  const before = cpuByProcess();
  const commits = await db.commits();
  const r = await autocannon({ connections, duration: seconds, ...options });
  const cpu = cpuShare(before, cpuByProcess());
  // Postgres statistics lag about a second (not waited for at smoke size, where figures mean nothing).
  if (!smoke) await new Promise((resolve) => setTimeout(resolve, 1100));
  const xacts = ((await db.commits()) - commits) / Math.max(1, r.requests.average * seconds);
  console.log(
    `${title.padEnd(40)} req/s ${r.requests.average.toFixed(0).padStart(6)}   p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   non-2xx ${r.non2xx}  errors ${r.errors + r.timeouts}`,
  );
  console.log(`${''.padEnd(40)} cpu (% of one core): ${cpu}; pg xacts ${xacts.toFixed(2)}/req`);
  return r;
}

/**
 * CPU seconds so far of the processes in the run (Linux /proc), by pid: the
 * API, the hello-world, this process (autocannon), every postgres and
 * redis-server process (shared with whatever else runs on the machine), and
 * the machine as a whole. A process that ended during a phase takes its CPU
 * with it (not counted); one that started during it counts in full.
 */
function cpuByProcess(): { at: number; used: Map<string, { key: string; seconds: number }> } {
  const used = new Map<string, { key: string; seconds: number }>();
  const tick = 100; // USER_HZ
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const n = Number(pid);
      const key = n === api.pid ? 'api' : n === hello.pid ? 'hello-world' : n === process.pid ? 'autocannon' : comm.startsWith('postgres') ? 'postgres' : comm.startsWith('redis-server') ? 'redis' : undefined;
      if (key) used.set(pid, { key, seconds: (Number(f[11]) + Number(f[12])) / tick });
    } catch {
      // gone meanwhile
    }
  }
  const all = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  used.set('machine', { key: 'machine busy', seconds: (all.reduce((x, y) => x + y, 0) - all[3]! - all[4]!) / tick });
  return { at: performance.now(), used };
}

function cpuShare(a: ReturnType<typeof cpuByProcess>, b: ReturnType<typeof cpuByProcess>): string {
  const wall = (b.at - a.at) / 1000;
  const by: Record<string, number> = {};
  for (const [pid, { key, seconds }] of b.used) by[key] = (by[key] ?? 0) + seconds - (a.used.get(pid)?.seconds ?? 0);
  return (
    ['api', 'hello-world', 'postgres', 'redis', 'autocannon', 'machine busy'].map((k) => `${k} ${(((by[k] ?? 0) / wall) * 100).toFixed(0)}`).join(', ') +
    ` (of ${availableParallelism() * 100}); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`
  );
}

/**
 * The ceiling Postgres sets on this machine: the creating statement alone
 * (one deployment each, its first transition, from this process through a
 * pool of 10, `connections` at a time), no HTTP, no API, no Redis.
 */
async function statementAlone(): Promise<number> {
  const before = cpuByProcess();
  const until = performance.now() + seconds * 1000;
  let made = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const id = `bench${randomBytes(5).toString('hex')}`;
        await db.store.createMany([{ id, project: `alone${made % 1000}`, sourceType: 'git', gitUrl: 'http://127.0.0.1:9/bench/app.git', rootDir: '', port: 3000, env: {} }]);
        made++;
      }
    }),
  );
  const cpu = cpuShare(before, cpuByProcess());
  console.log(`${'Postgres alone: the creating statement'.padEnd(40)} stmt/s ${(made / seconds).toFixed(0).padStart(5)}`);
  console.log(`${''.padEnd(40)} cpu (% of one core): ${cpu}`);
  return made / seconds;
}

const db = await createBenchDatabase('api');
const [helloPort, apiPort] = [await freePort(), await freePort()];
const hello = start(['-e', helloWorld], { PORT: String(helloPort) });
// BENCH_PROFILE=<dir>: the API writes a CPU profile there when it exits.
const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
const api = start([...profile, 'apps/api/dist/main.js'], {
  DATABASE_URL: db.url,
  REDIS_URL: redisUrl,
  BERTH_INSTANCE: instance,
  API_PORT: String(apiPort),
  BERTH_ADMIN_TOKEN: token,
  BERTH_SECRET_KEY: randomBytes(32).toString('hex'),
  // The bench's git URL names this machine; and the rate limiter must not be what is measured.
  GIT_ALLOW_PRIVATE_HOSTS: '1',
  DEPLOY_RATE_LIMIT: '100000000',
  LOG_LEVEL: 'warn',
});
const redis = createRedis(redisUrl);
try {
  const helloUrl = `http://127.0.0.1:${helloPort}`;
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  await until(async () => (await get(`${helloUrl}/hello`)) === 200 && (await get(`${apiUrl}/healthz`)) === 200, 'servers up');
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const body = JSON.stringify({ gitUrl: 'http://127.0.0.1:9/bench/app.git', ref: 'main' });
  // Warm-up (JIT, connection pools), not counted; none at smoke size.
  if (!smoke) {
    await autocannon({ url: `${helloUrl}/hello`, connections, duration: 2 });
    await autocannon({ url: `${apiUrl}/api/deployments`, method: 'POST', headers: auth, body, connections, duration: 2 });
  }

  const base = await load('baseline: fastify hello-world GET', { url: `${helloUrl}/hello` });
  const post = await load('POST /api/deployments, one project', { url: `${apiUrl}/api/deployments`, method: 'POST', headers: auth, body });
  // Many projects at once (each request a project of its own, made on first use): no enqueue supersedes another.
  let n = 0;
  const many = await load('POST /api/deployments, a project each', {
    url: `${apiUrl}/api/deployments`,
    method: 'POST',
    headers: auth,
    requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: JSON.stringify({ gitUrl: 'http://127.0.0.1:9/bench/app.git', name: `bench${n++}` }) }) }],
  });
  const created = await fetch(`${apiUrl}/api/deployments`, { method: 'POST', headers: auth, body });
  const { id } = (await created.json()) as { id: string };
  const read = await load('GET /api/deployments/:id (queued)', { url: `${apiUrl}/api/deployments/${id}`, headers: auth });
  // A queued one's view counts the queued deployments ahead of it (thousands here); one that is over does not.
  const canceled = (await (await fetch(`${apiUrl}/api/deployments?status=canceled&limit=1`, { headers: auth })).json()) as { items: { id: string }[] };
  const over = canceled.items[0];
  const done = await load('GET /api/deployments/:id (canceled)', { url: `${apiUrl}/api/deployments/${over!.id}`, headers: auth });
  const list = await load('GET /api/deployments (a page of 20)', { url: `${apiUrl}/api/deployments`, headers: auth });
  const alone = await statementAlone();
  const ratio = (r: Result) => `req/s ${(r.requests.average / base.requests.average).toFixed(2)}, p99 ${(r.latency.p99 / Math.max(1, base.latency.p99)).toFixed(1)}x`;
  console.log(`ratios against hello-world: POST one project ${ratio(post)}; a project each ${ratio(many)}; GET ${ratio(read)} (queued); GET canceled ${ratio(done)}; list ${ratio(list)}  (${connections} connections, ${seconds} s each)`);
  const write = (r: Result) => (r.requests.average / Math.max(1, alone)).toFixed(2);
  console.log(`ratios against the creating statement alone: POST one project ${write(post)}; a project each ${write(many)}`);
  const readsMet = [read, done, list].every((r) => r.requests.average >= 0.25 * base.requests.average && r.latency.p99 < 20);
  const writesMet = [post, many].every((r) => r.requests.average >= alone && r.latency.p99 < 50);
  console.log(`targets (issue 31): reads >= 0.25x hello-world, p99 < 20 ms: ${readsMet ? 'met' : 'NOT met'}; writes >= 1.0x the statement alone, p99 < 50 ms: ${writesMet ? 'met' : 'NOT met'}`);
} finally {
  await stop(api);
  await stop(hello);
  // The queued jobs of this run (nothing else uses the bench's instance).
  const keys = [...(await redis.keys(`${queuePrefix(instance)}*`)), ...(await redis.keys(`berth:${instance}:*`))];
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  await redis.quit();
  await db.drop();
}
