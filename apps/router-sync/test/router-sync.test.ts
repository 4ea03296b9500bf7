import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labels } from '@berth/shared/labels';
import { request } from '../../../test/helpers/http.ts';
import { waitFor } from '../../../test/helpers/ports.ts';
import { docker, startStack, testNetwork, type Stack } from '../../../test/helpers/stack.ts';

// router-sync against a private Caddy and real Docker containers (no worker involved).
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ workers: 0 });
});
afterAll(async () => {
  await stack?.close();
});

async function runApp(deploymentId: string, project: string) {
  const container = await docker.createContainer({
    name: `berth-${stack.instance}-${deploymentId}`,
    Image: 'berth/node:20',
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
    await stack.db.store.create({ id: 'rsapp00000001', project: 'rsproj', sourceType: 'git', gitUrl: 'https://x/y.git', rootDir: '', port: 3000, env: {} });
    const container = await runApp('rsapp00000001', 'rsproj');
    await answers('rsapp00000001.localhost', 'app rsapp00000001');
    // The project URL points nowhere until a deployment is promoted.
    expect((await get('rsproj.localhost')).status).toBe(404);
    await stack.db.store.promote('rsproj', 'rsapp00000001');
    await stack.router!.runNow();
    await answers('rsproj.localhost', 'app rsapp00000001');

    await container.stop({ t: 0 });
    await waitFor('route removed', async () => (await get('rsapp00000001.localhost')).status === 404, 15_000);
    expect((await get('rsproj.localhost')).status).toBe(404);
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
    const container = await runApp('rsapp00000002', 'other');
    await answers('rsapp00000002.localhost', 'app rsapp00000002');
    await stack.caddy!.restart({ crash: true });
    // Nothing triggers router-sync but its resync timer (1 s in tests, 5 s by default).
    await answers('rsapp00000002.localhost', 'app rsapp00000002');
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
