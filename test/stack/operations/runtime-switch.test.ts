import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipTestApp } from '@berth/testing/archives';
import { callApi, settled } from '@berth/testing/deployments';
import { multipartBody, request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { startStack, type Stack } from '@berth/testing/stack';
import { startSwarmParts, type SwarmParts } from '@berth/testing/swarm-stack';

// Moving an installation from docker mode to swarm mode (issue 26): the apps docker mode started
// are never taken for gone by swarm-mode workers, and keep being served.
let stack: Stack;
let swarm: SwarmParts;
const short = { REAPER_INTERVAL_MS: '500', ORPHAN_GRACE_MS: '500', HEALTHCHECK_TIMEOUT_MS: '10000', DRAIN_MS: '1000' };

beforeAll(async () => {
  stack = await startStack({ runtime: 'docker', env: short });
  swarm = await startSwarmParts(stack.instance, false);
}, 120_000);
afterAll(async () => {
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
  await stack.addWorker({ ...swarm.env, ...short });
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
});
