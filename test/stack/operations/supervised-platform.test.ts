import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipTestApp } from '@berth/testing/archives';
import { createTestDatabase, type TestDatabase } from '@berth/testing/database';
import { multipartBody, request } from '@berth/testing/http';
import { freePort, waitFor } from '@berth/testing/ports';
import { startPrivateRedis, type PrivateRedis } from '@berth/testing/processes';
import { removeInstanceResources, testNetwork, testToken } from '@berth/testing/stack';
import { repoRoot } from '@berth/testing/paths';

/**
 * The platform as an operator runs it: `npm run up -- --detach --workers 3`
 * (the real script, supervisor and compiled programs), on its own ports,
 * state directory, instance, database and Redis, so it never meets another
 * platform on this machine; `npm run down` at the end.
 */
const root = repoRoot;
let redis: PrivateRedis;
let db: TestDatabase;
let env: Record<string, string>;
let stateDir: string;
let api: string;
let caddyPort: number;
let upOutput: string;

function run(script: string, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', [script, ...args], { cwd: root, env, timeout: 240_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

interface ProcessView {
  name: string;
  state: string;
  pid: number | null;
  restarts: number;
}
async function status(): Promise<{ code: number; json: any }> {
  const r = await run('scripts/ctl.sh', ['status', '--json']);
  return { code: r.code, json: JSON.parse(r.stdout) };
}
const processes = async (): Promise<ProcessView[]> => (await status()).json.processes;
const pidOf = async (name: string) => (await processes()).find((p) => p.name === name)!.pid!;

/** A deployment of its own project (deployments of one project supersede each other). */
async function deploy(app: string, project = `${app}-${randomBytes(3).toString('hex')}`): Promise<string> {
  // A file of its own: the build's steps after COPY run again (no cache hit), so it takes a while.
  const archive = await zipTestApp(app, { 'nonce.txt': randomBytes(8).toString('hex') });
  const body = await multipartBody({ name: project }, { name: `${app}.zip`, data: archive });
  const res = await request(`${api}/api/deployments`, { method: 'POST', headers: body.headers, body: body.payload });
  expect(res.status, res.body).toBe(202);
  return JSON.parse(res.body).id;
}

async function reachesRunning(id: string): Promise<void> {
  const d = await waitFor(
    `${id} to run`,
    async () => {
      const d = JSON.parse((await request(`${api}/api/deployments/${id}`)).body);
      return ['running', 'failed', 'canceled', 'stopped'].includes(d.status) && d;
    },
    120_000,
    250,
  );
  expect(d.status, `${id}: ${d.errorCode} ${d.errorMessage}`).toBe('running');
  // And Caddy serves it.
  await waitFor(`${id} through caddy`, async () => (await request(`http://127.0.0.1:${caddyPort}/`, { host: `${id}.localhost` })).status === 200, 30_000, 250);
}

const workerLog = (n: number) => fs.readFileSync(path.join(stateDir, 'logs', `worker-${n}.log`), 'utf8');
const jobStartsIn = (n: number) =>
  workerLog(n)
    .split('\n')
    .filter((l) => l.includes('"deployment job started"'))
    .map((l) => JSON.parse(l) as { deploymentId: string; worker: string });

beforeAll(async () => {
  redis = await startPrivateRedis();
  db = await createTestDatabase();
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-up-'));
  const [apiPort, httpPort, adminPort] = [await freePort(), await freePort(), await freePort()];
  caddyPort = httpPort;
  api = `http://127.0.0.1:${apiPort}`;
  env = {
    ...(process.env as Record<string, string>),
    BERTH_STATE_DIR: stateDir,
    BERTH_INSTANCE: `t${randomBytes(4).toString('hex')}`,
    REDIS_URL: redis.url,
    DATABASE_URL: db.url,
    API_PORT: String(apiPort),
    CADDY_HTTP_PORT: String(httpPort),
    CADDY_ADMIN_URL: `http://127.0.0.1:${adminPort}`,
    CADDY_ADMIN_LISTEN: `127.0.0.1:${adminPort}`,
    CADDY_HTTPS_LISTEN: `:${await freePort()}`,
    BERTH_NETWORK: testNetwork,
    BERTH_ADMIN_TOKEN: testToken,
    WORKER_CONCURRENCY: '1',
    // A killed worker's job is picked up again within seconds.
    JOB_LOCK_MS: '5000',
    JOB_STALLED_INTERVAL_MS: '3000',
    SHUTDOWN_GRACE_MS: '10000',
    WORKER_HEARTBEAT_MS: '1000',
    BERTH_RESTART_DELAY_MS: '500',
    BERTH_STOP_GRACE_MS: '20000',
    LOG_LEVEL: 'info',
  };
  const up = await run('scripts/up.sh', ['--detach', '--workers', '3']);
  expect(up.code, up.stderr).toBe(0);
  upOutput = up.stdout;
}, 240_000);

afterAll(async () => {
  if (env) await run('scripts/down.sh');
  await removeInstanceResources(env?.BERTH_INSTANCE ?? 'none');
  await redis?.stop();
  await db?.drop();
  if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
}, 120_000);

describe('npm run up, supervised', () => {
  it('runs Caddy, the API, three workers and router-sync; status says all is well', async () => {
    const { code, json } = await status();
    expect(json.problems).toEqual([]);
    expect(code).toBe(0);
    expect(json.processes.map((p: ProcessView) => [p.name, p.state])).toEqual([
      ['caddy', 'running'],
      ['api', 'running'],
      ['worker-1', 'running'],
      ['worker-2', 'running'],
      ['worker-3', 'running'],
      ['router-sync', 'running'],
    ]);
    await waitFor('three heartbeats', async () => (await status()).json.workers?.length === 3, 20_000, 250);
    // A fresh installation has nobody to sign in as: up says how to make the first owner.
    expect(upOutput).toContain('First owner:  npm run berth -- users create --owner you@example.com');
  });

  it('--workers 3: the three workers share a burst, each named in its own log', async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, () => deploy('slow')));
    await Promise.all(ids.map(reachesRunning));
    const ranBy = new Map<string, string>();
    for (const n of [1, 2, 3]) {
      for (const start of jobStartsIn(n)) {
        expect(start.worker).toBe(`worker-${n}`);
        ranBy.set(start.deploymentId, start.worker);
      }
    }
    expect([...ranBy.keys()].sort()).toEqual([...ids].sort());
    expect(new Set(ranBy.values())).toEqual(new Set(['worker-1', 'worker-2', 'worker-3']));
  }, 240_000);

  it.each(['api', 'router-sync', 'caddy'])('%s killed with SIGKILL is back within seconds; a deployment started before reaches running', async (name) => {
    const id = await deploy('slow');
    const before = await pidOf(name);
    process.kill(before, 'SIGKILL');
    await waitFor(`${name} to run again`, async () => {
      const p = (await processes()).find((x) => x.name === name)!;
      return p.state === 'running' && p.pid !== before && p.restarts >= 1;
    }, 30_000, 250);
    await reachesRunning(id);
    const log = fs.readFileSync(path.join(stateDir, 'logs', 'supervisor.log'), 'utf8');
    expect(log).toContain(`"process":"${name}","code":null,"signal":"SIGKILL"`);
  }, 240_000);

  it('a worker killed with SIGKILL in the middle of a build is back within seconds, and the deployment reaches running', async () => {
    const id = await deploy('slow');
    const n = await waitFor('a worker to take the job', () => [1, 2, 3].find((k) => jobStartsIn(k).some((s) => s.deploymentId === id)), 60_000, 100);
    const before = await pidOf(`worker-${n}`);
    process.kill(before, 'SIGKILL');
    await waitFor(`worker-${n} to run again`, async () => {
      const p = (await processes()).find((x) => x.name === `worker-${n}`)!;
      return p.state === 'running' && p.pid !== before;
    }, 30_000, 250);
    await reachesRunning(id);
  }, 240_000);

  it('npm run scale -- worker=1 stops the others gracefully; GET /api/workers shows one', async () => {
    const scaled = await run('scripts/ctl.sh', ['scale', 'worker=1']);
    expect(scaled.stdout).toContain('workers: worker-1');
    expect((await processes()).map((p) => p.name)).toEqual(['caddy', 'api', 'worker-1', 'router-sync']);
    const res = await request(`${api}/api/workers`);
    expect(JSON.parse(res.body).items.map((w: { id: string }) => w.id)).toEqual(['worker-1']);
  }, 120_000);

  it('npm run restart -- worker (an upgrade\'s rolling restart) does not fail a deployment that is building', async () => {
    const id = await deploy('slow');
    await waitFor('worker-1 to take the job', () => jobStartsIn(1).some((s) => s.deploymentId === id), 60_000, 100);
    const before = await pidOf('worker-1');
    const restarted = await run('scripts/ctl.sh', ['restart', 'worker']);
    expect(restarted.stdout).toContain('restarted worker-1');
    expect(await pidOf('worker-1')).not.toBe(before);
    await reachesRunning(id);
    expect((await processes()).find((p) => p.name === 'worker-1')).toMatchObject({ state: 'running' });
  }, 120_000);

  it('status reports a stopped Redis (exit 1), and all well again once it is back', async () => {
    await redis.stop();
    const down = await status();
    expect(down.code).toBe(1);
    expect(down.json.services.redis.ok).toBe(false);
    expect(down.json.services.postgres.ok).toBe(true);
    expect(down.json.problems).toEqual([expect.stringMatching(/^redis is unreachable/)]);
    const text = await run('scripts/ctl.sh', ['status']);
    expect(text.stdout).toMatch(/redis\s+DOWN/);
    await redis.restart(0);
    await waitFor('status to be good again', async () => (await status()).code === 0, 30_000, 500);
  }, 120_000);

  it('npm run down stops everything it started', async () => {
    const pids = (await processes()).map((p) => p.pid!);
    const supervisor = (await status()).json.supervisor.pid as number;
    const down = await run('scripts/down.sh');
    expect(down.code).toBe(0);
    for (const pid of [supervisor, ...pids]) expect(() => process.kill(pid, 0)).toThrow();
    await expect(fetch(`${api}/healthz`)).rejects.toThrow();
    expect((await status()).code).toBe(1);
  }, 120_000);
});
