import { afterAll, beforeAll, expect, it } from 'vitest';
import { zipTestApp } from '@berth/testing/archives';
import { createDeployment, settled } from '@berth/testing/deployments';
import { dockerdPidFile, ownDockerd, restartDockerd } from '@berth/testing/dockerd';
import { request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { startStack, type Stack } from '@berth/testing/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { RUNTIME_LOG_DISCOVERY_MS: '500', REAPER_INTERVAL_MS: '1000' } });
});
afterAll(async () => {
  await stack?.close();
});

// Restarting a Docker daemon that someone else started is not ours to do: this needs the dockerd
// the project's scripts started (CI, a fresh machine), and fails, saying so, where another runs.
it('after a Docker daemon restart, running deployments come back and their routes follow', async () => {
  if (!ownDockerd()) {
    throw new Error(`this test restarts dockerd and needs the one scripts/lib/services.sh started (its pid in ${dockerdPidFile}); a dockerd started otherwise is not ours to restart`);
  }
  const d = await createDeployment(stack, { archive: await zipTestApp('hello') });
  expect((await settled(stack, d.id)).status).toBe('running');
  const viaCaddy = () => request(`${stack.caddyUrl}/`, { host: `${d.id}.localhost` }).catch(() => ({ status: 0, body: '' }));
  await waitFor('route', async () => (await viaCaddy()).status === 200);

  await restartDockerd();

  // The restart policy brings the container back (maybe on a new address); router-sync follows.
  const back = await waitFor('app answering through Caddy again', async () => {
    const r = await viaCaddy();
    return r.status === 200 ? r : undefined;
  }, 60_000, 250);
  expect(JSON.parse(back.body).hello).toBe('berth');
  await waitFor('deployment running', async () => (await stack.db.store.get(d.id))!.status === 'running', 30_000);

  // And the platform still deploys.
  const next = await createDeployment(stack, { archive: await zipTestApp('hello') });
  expect((await settled(stack, next.id, 60_000)).status).toBe('running');
});
