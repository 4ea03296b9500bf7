import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApiConfig } from '@berth/api/config';
import { startApi, type ApiHandle } from '@berth/api/start-api';
import { loadRouterSyncConfig } from '@berth/router-sync/config';
import { startRouterSync, type RouterSyncHandle } from '@berth/router-sync/start-router-sync';
import { createLogger } from '@berth/shared/logger';
import { repoRoot } from '@berth/testing/paths';
import { SteadyLoad } from '@berth/testing/load';
import { zipTestApp } from '@berth/testing/archives';
import { callApi, settled } from '@berth/testing/deployments';
import { multipartBody, request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { instanceContainers, startStack, testToken, type Stack } from '@berth/testing/stack';
import { startSwarmParts, type SwarmParts } from '@berth/testing/swarm-stack';

// Moving an installation from docker mode to swarm mode (issue 26): the apps docker mode started
// are never taken for gone by swarm-mode workers, keep being served (by swarm mode's Caddy container
// too), and `berth migrate-runtime swarm` moves them over with no failed request.
let stack: Stack;
let swarm: SwarmParts;
/** The programs as `npm run up -- --swarm` restarts them: the API and router-sync in swarm mode. */
let swarmApi: ApiHandle | undefined;
let swarmRouter: RouterSyncHandle | undefined;
const short = { REAPER_INTERVAL_MS: '500', ORPHAN_GRACE_MS: '500', HEALTHCHECK_TIMEOUT_MS: '10000', DRAIN_MS: '1000' };

beforeAll(async () => {
  stack = await startStack({ runtime: 'docker', env: short });
  swarm = await startSwarmParts(stack.instance, true);
}, 120_000);
afterAll(async () => {
  await swarmRouter?.close();
  await swarmApi?.close();
  await stack?.close();
  await swarm?.close();
}, 120_000);

const api = (method: string, url: string, payload?: unknown) => callApi(stack, method, url, payload);
const through = (host: string) => request(`${stack.caddyUrl}/`, { host });
const serving = (host: string, body: string) => waitFor(`${host} to serve ${body}`, async () => (await through(host)).body === body, 30_000, 25);

async function deployVersion(project: string, version: string): Promise<{ id: string }> {
  const archive = await zipTestApp('release', { 'version.txt': version });
  const res = await stack.inject({ method: 'POST', url: `/api/projects/${project}/deployments`, ...(await multipartBody({}, { name: 'app.zip', data: archive })) });
  if (res.statusCode !== 202) throw new Error(`deploy answered ${res.statusCode}: ${res.body}`);
  return res.json();
}

/** The stack's workers replaced by one in swarm mode (as `npm run up -- --swarm` after `down`). */
async function restartWorkersInSwarmMode(): Promise<void> {
  const old = stack.workers.splice(0);
  await Promise.all(old.map((w) => w.close()));
  await stack.addWorker({ ...short, ...swarm.env });
}

/** The API and router-sync in swarm mode, router-sync on the Caddy container (the stack's own keep running on the host Caddy). */
async function startSwarmApiAndRouter(): Promise<string> {
  const logger = createLogger(`test-${stack.instance}-swarm`, 'silent');
  swarmApi = await startApi(loadApiConfig({ ...stack.env, ...swarm.env, API_HOST: '127.0.0.1', API_PORT: '0' }), logger);
  const caddy = swarm.caddy!;
  const env = { ...stack.env, ...swarm.env, CADDY_ADMIN_URL: caddy.adminUrl, RESYNC_INTERVAL_MS: '1000', ...swarm.routerEnv };
  swarmRouter = await startRouterSync(loadRouterSyncConfig(env), logger);
  return `http://127.0.0.1:${caddy.httpPort}`;
}

/** The CLI as a user runs it (`npm run berth -- …`), against the swarm-mode API. */
function cli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', ['apps/cli/bin/berth.mjs', ...args], { cwd: repoRoot, env: { ...process.env, BERTH_URL: swarmApi!.url, BERTH_TOKEN: testToken } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('moving an installation between runtimes', () => {
  it('keeps a docker-mode app running and served after the workers restart in swarm mode', async () => {
    expect((await api('POST', '/api/projects', { name: 'moved', healthPath: '/healthz' })).status).toBe(201);
    const first = await deployVersion('moved', 'v1');
    expect((await settled(stack, first.id)).status).toBe('running');
    await serving('moved.localhost', 'v1');
    const row = await stack.db.db.selectFrom('deployments').select(['runtime']).where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(row.runtime).toBe('docker');

    await restartWorkersInSwarmMode();
    const worker = stack.workers[0]!;
    // Passes past the grace period (the restart alone takes longer): the container is not swarm mode's, yet the deployment is not gone.
    await worker.reaper.run();
    await worker.reaper.run();
    expect((await api('GET', `/api/deployments/${first.id}`)).body.status).toBe('running');
    expect((await through('moved.localhost')).body).toBe('v1');
    expect((await through(`${first.id}.localhost`)).body).toBe('v1');
  }, 180_000);

  it('serves it through swarm mode\'s Caddy container, and migrate-runtime moves it there with no failed request', async () => {
    const began = performance.now();
    const timeline: string[] = [];
    const mark = (what: string) => timeline.push(`${Math.round((performance.now() - began) / 1000)} s ${what}`);
    const [old] = (await api('GET', '/api/deployments?status=running')).body.items as { id: string }[];
    const caddyUrl = await startSwarmApiAndRouter();
    // The swarm worker's reaper pass puts the docker-mode container on an overlay of its own, which Caddy joins.
    await stack.workers[0]!.reaper.run();
    await waitFor('the Caddy container to serve the docker-mode app', async () => (await request(`${caddyUrl}/`, { host: 'moved.localhost' })).body === 'v1', 30_000, 50);

    const load = new SteadyLoad(`${caddyUrl}/`, 'moved.localhost', { concurrency: 2, pauseMs: 5 });
    load.start();
    mark('served by the Caddy container');
    let moved: { id: string; runtime: string | null } | undefined;
    try {
      const run = await cli(['migrate-runtime', 'swarm']);
      expect(run.code, run.out).toBe(0);
      mark('migrate-runtime done');
      expect(run.out).toContain('1 moved to swarm');
      moved = await stack.db.db.selectFrom('deployments').select(['id', 'runtime']).where('project', '=', 'moved').where('id', '!=', old!.id).executeTakeFirstOrThrow();
      // The old one drains (DRAIN_MS), stops, and the reaper removes its container; the load keeps going meanwhile.
      await waitFor('the docker-mode container removed', async () => !(await instanceContainers(stack.instance)).some((c) => c.Labels['dev.berth.deployment'] === old!.id && !c.Labels['com.docker.swarm.task.id']), 30_000, 100);
      mark('old container removed');
      const after = load.samples.length;
      await waitFor('more answers from the moved app', async () => load.samples.length > after + 20, 10_000, 20);
    } finally {
      await load.stop();
    }
    expect(moved?.runtime).toBe('swarm');
    expect((await api('GET', `/api/deployments/${old!.id}`)).body.status).toBe('stopped');
    const failures = load.samples.filter((x) => x.status !== 200 || x.body !== 'v1');
    expect(failures, JSON.stringify(failures.slice(0, 5))).toEqual([]);
    // A second run has nothing left to move.
    const again = await cli(['migrate-runtime', 'swarm']);
    expect(again.out).toContain('0 moved to swarm');
    mark('second run done');
    console.log(`runtime switch: ${load.samples.length} requests; ${timeline.join(', ')}`);
  }, 420_000);
});
