import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { zipTestApp } from '@berth/testing/archives';
import { callApi, createDeployment, settled } from '@berth/testing/deployments';
import { dockerdPidFile, ownDockerd, restartDockerd } from '@berth/testing/dockerd';
import { request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { serviceStackEnv } from '@berth/testing/service-images';
import { docker, startStack, type Stack } from '@berth/testing/stack';

const run = promisify(execFile);
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { RUNTIME_LOG_DISCOVERY_MS: '500', REAPER_INTERVAL_MS: '1000', ...(await serviceStackEnv()) } });
}, 660_000);
afterAll(async () => {
  await stack?.close();
});

/** psql in a container of the service's image, on the project's network (as its apps are), with the app's URL. */
async function psql(network: string, url: string, sql: string): Promise<string> {
  const { stdout } = await run('docker', ['run', '--rm', '--network', network, '--entrypoint', 'psql', 'berth/postgres:15', url, '-tAc', sql], { timeout: 60_000 });
  return stdout.trim();
}

const serviceStatus = async () => (await callApi(stack, 'GET', '/api/projects/keep/services')).body.items[0]?.status as string | undefined;

// Restarting a Docker daemon that someone else started is not ours to do: this needs the dockerd
// the project's scripts started (CI, a fresh machine), and fails, saying so, where another runs.
it('after a Docker daemon restart, running deployments and a project\'s database come back, routes follow, no row is lost', async () => {
  if (!ownDockerd()) {
    throw new Error(`this test restarts dockerd and needs the one scripts/lib/services.sh started (its pid in ${dockerdPidFile}); a dockerd started otherwise is not ours to restart`);
  }
  expect((await callApi(stack, 'POST', '/api/projects', { name: 'keep' })).status).toBe(201);
  expect((await callApi(stack, 'POST', '/api/projects/keep/services', { type: 'postgres', name: 'db' })).status).toBe(201);
  await waitFor('the database running', async () => (await serviceStatus()) === 'running', 180_000, 250);
  const d = await createDeployment(stack, { archive: await zipTestApp('hello'), fields: { name: 'keep' } });
  expect((await settled(stack, d.id, 120_000)).status).toBe('running');
  const viaCaddy = () => request(`${stack.caddyUrl}/`, { host: `${d.id}.localhost` }).catch(() => ({ status: 0, body: '' }));
  await waitFor('route', async () => (await viaCaddy()).status === 200);
  const env = (await docker.getContainer(`berth-${stack.instance}-${d.id}`).inspect()).Config.Env;
  const url = env.find((e) => e.startsWith('DATABASE_URL='))!.slice('DATABASE_URL='.length);
  const network = `berth-${stack.instance}-p-keep`;
  await psql(network, url, 'create table kept (n int); insert into kept values (1), (2), (3)');

  await restartDockerd();

  // The restart policy brings the container back (maybe on a new address); router-sync follows.
  const back = await waitFor('app answering through Caddy again', async () => {
    const r = await viaCaddy();
    return r.status === 200 ? r : undefined;
  }, 60_000, 250);
  expect(JSON.parse(back.body).hello).toBe('berth');
  await waitFor('deployment running', async () => (await stack.db.store.get(d.id))!.status === 'running', 30_000);
  // The database too, with its rows (its volume outlives the container's stop).
  await waitFor('the database running again', async () => (await serviceStatus()) === 'running', 60_000, 250);
  expect(await waitFor('the rows read back', () => psql(network, url, 'select count(*) from kept').catch(() => undefined), 60_000, 500)).toBe('3');

  // And the platform still deploys.
  const next = await createDeployment(stack, { archive: await zipTestApp('hello') });
  expect((await settled(stack, next.id, 60_000)).status).toBe('running');
}, 420_000);
