import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labels } from '@berth/shared/labels';
import { RoutingStore } from '@berth/shared/routing-store';
import { request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { docker, startStack, testNetwork, type Stack } from '@berth/testing/stack';

// router-sync against a private Caddy and real Docker containers (no worker involved).
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ workers: 0 });
});
afterAll(async () => {
  await stack?.close();
});

/** A deployment row that is live, as the worker would leave it. */
async function liveDeployment(id: string, project: string) {
  const store = stack.db.store;
  await store.create({ id, project, sourceType: 'git', gitUrl: 'https://x/y.git', rootDir: '', port: 3000, env: {} });
  await stack.db.lifecycle.transition(id, ['queued'], 'fetching');
  await stack.db.lifecycle.transition(id, ['fetching'], 'building');
  await stack.db.lifecycle.transition(id, ['building'], 'starting');
  await stack.db.lifecycle.transition(id, ['starting'], 'running');
}

async function runApp(deploymentId: string, project: string) {
  const container = await docker.createContainer({
    name: `berth-${stack.instance}-${deploymentId}`,
    Image: 'berth/node:24',
    Cmd: ['node', '-e', `require('http').createServer((q,s)=>s.end('app ${deploymentId}')).listen(3000)`],
    Labels: {
      [labels.instance]: stack.instance,
      [labels.deployment]: deploymentId,
      [labels.project]: project,
      [labels.port]: '3000',
    },
    HostConfig: { NetworkMode: testNetwork },
  });
  await container.start();
  return container;
}

const get = (host: string) => request(`${stack.caddyUrl}/`, { host });
const answers = (host: string, body: string) =>
  waitFor(`${host} to answer "${body}"`, async () => (await get(host)).body === body, 15_000);

describe('router-sync', () => {
  it('routes a running labelled container, follows the project pointer, and drops the route when it stops', async () => {
    await liveDeployment('rsapp00000001', 'rsproj');
    const container = await runApp('rsapp00000001', 'rsproj');
    await answers('rsapp00000001.localhost', 'app rsapp00000001');
    // The project URL points nowhere until a deployment is promoted.
    expect((await get('rsproj.localhost')).status).toBe(404);
    await new RoutingStore(stack.db.db).promote('rsproj', 'rsapp00000001');
    await stack.router!.runNow();
    await answers('rsproj.localhost', 'app rsapp00000001');

    await container.stop({ t: 0 });
    await waitFor('route removed', async () => (await get('rsapp00000001.localhost')).status === 404, 15_000);
    // Caddy keeps each host's answer for its refresh (100 ms): the project URL's goes on its own next lookup.
    await waitFor('project route removed', async () => (await get('rsproj.localhost')).status === 404, 2_000);
    await container.remove({ force: true });
  });

  it('loads Caddy only when the config changed', async () => {
    await stack.router!.runNow();
    const before = stack.router!.loads;
    for (let i = 0; i < 5; i++) await stack.router!.runNow();
    // Periodic resyncs compare with Caddy's live config: equal, so no reload either.
    await new Promise((r) => setTimeout(r, 2500));
    expect(stack.router!.loads).toBe(before);
  });

  it('restores every route after Caddy is killed and restarted with an empty config', async () => {
    await liveDeployment('rsapp00000002', 'other');
    const container = await runApp('rsapp00000002', 'other');
    await answers('rsapp00000002.localhost', 'app rsapp00000002');
    await stack.caddy!.restart({ crash: true });
    // Nothing triggers router-sync but its resync timer (1 s in tests, 5 s by default).
    await answers('rsapp00000002.localhost', 'app rsapp00000002');
    await container.remove({ force: true });
  });

  it('drops the route of a deployment that is stopped, even while its container still runs', async () => {
    await liveDeployment('rsapp00000003', 'third');
    const container = await runApp('rsapp00000003', 'third');
    await answers('rsapp00000003.localhost', 'app rsapp00000003');
    await stack.db.lifecycle.transition('rsapp00000003', ['running'], 'stopped');
    await stack.router!.runNow();
    // Caddy asks the route resolver again after its refresh (100 ms): the route is gone within a few of them.
    await waitFor('the stopped deployment to get the 404 page', async () => (await get('rsapp00000003.localhost')).status === 404, 2_000);
    await container.remove({ force: true });
  });

  it('answers unknown hosts with 404 and serves the API under the base domain', async () => {
    const unknown = await get('unknown-thing.localhost');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('no deployment');
    const health = await request(`${stack.caddyUrl}/healthz`, { host: 'localhost' });
    expect(health.status).toBe(200);
  });
});
