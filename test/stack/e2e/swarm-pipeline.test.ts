import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerName } from '@berth/shared/docker-names';
import { labels } from '@berth/shared/labels';
import { nodeRuntimes } from '@berth/shared/node-runtimes';
import { zipEntries } from '@berth/testing/archives';
import { callApi, createDeployment, logLines, settled } from '@berth/testing/deployments';
import { waitFor } from '@berth/testing/ports';
import { docker } from '@berth/testing/stack';
import { startSwarmStack, taskContainers, type SwarmStack } from './swarm-pipeline-setup.ts';

// The worker's whole pipeline with BERTH_RUNTIME=swarm: real swarm, overlay, registry, Postgres, Redis.
let swarm: SwarmStack;
beforeAll(async () => {
  swarm = await startSwarmStack();
}, 60_000);
afterAll(async () => {
  await swarm?.close();
}, 120_000);

const base = `FROM berth/node:${nodeRuntimes.pinned}`;
/** A zip with a Dockerfile running `script` with node. */
function app(script: string, build = ''): Promise<Buffer> {
  return zipEntries([
    { name: 'Dockerfile', content: `${base}\n${build}COPY server.js /app/server.js\nCMD ["node", "/app/server.js"]\n` },
    { name: 'server.js', content: script },
  ]);
}
const server = `const http = require('node:http');
console.log('started ' + require('os').hostname());
setInterval(() => console.log('tick'), 400);
http.createServer((q, s) => { s.statusCode = q.url === '/sick' ? 500 : 200; s.end('ok'); }).listen(Number(process.env.PORT || 3000));`;

const deploy = async (archive: Buffer, name: string, fields: Record<string, string> = {}) =>
  createDeployment(swarm.stack, { archive, fields: { name, ...fields } });
const history = async (id: string) => (await swarm.stack.db.history.list(id)).map((t) => t.status);
const lines = async (id: string) => (await logLines(swarm.stack, id)).map((l) => l.line);
const serviceOf = (id: string) => containerName(swarm.stack.instance, id);

describe('the deployment pipeline in swarm mode', () => {
  it('deploys a zip as a service that answers through the prober, streams its output, survives a crash and goes on DELETE', async () => {
    const d = await deploy(await app(server), 'sw-live');
    const done = await settled(swarm.stack, d.id, 90_000);
    expect(done.status, JSON.stringify((await lines(d.id)).slice(-10))).toBe('running');
    const name = serviceOf(d.id);
    expect(await swarm.services()).toEqual([name]);
    const spec = ((await docker.getService(name).inspect()) as { Spec: { TaskTemplate: { ContainerSpec: { Image: string } } } }).Spec;
    expect(spec.TaskTemplate.ContainerSpec.Image).toBe(`${swarm.registry}/${swarm.stack.instance}/${d.id}:latest`);
    // Runtime output is streamed into the log.
    await waitFor('runtime lines', async () => (await logLines(swarm.stack, d.id)).filter((l) => l.stream === 'runtime' && l.line === 'tick').length >= 2, 20_000);

    // A crash: Swarm replaces the task; Berth shows crashed, then running again, and follows the new task's output.
    const [task] = (await taskContainers(name)).filter((c) => c.State === 'running');
    await docker.getContainer(task!.Id).kill();
    await waitFor('crashed and back', async () => (await history(d.id)).join(',').endsWith('running,crashed,running'), 60_000).catch(async (err: Error) => {
      throw new Error(`${err.message}: ${(await history(d.id)).join(' → ')}; ${JSON.stringify((await lines(d.id)).slice(-6))}`);
    });
    const replaced = await waitFor('the new task in the log', async () => {
      const all = await lines(d.id);
      return all.filter((l) => l.startsWith('started ')).length >= 2 ? all : undefined;
    }, 30_000);
    expect(replaced.some((l) => l.startsWith('the app stopped'))).toBe(true);
    expect(replaced).toContain('the app is running again');

    // DELETE stops it: the service goes.
    expect((await callApi(swarm.stack, 'DELETE', `/api/deployments/${d.id}`)).status).toBe(200);
    await waitFor('the service to go', async () => !(await swarm.services()).includes(name), 20_000);
  }, 240_000);

  it('fails an app that exits with APP_EXITED and its last output in the log, leaving no service or image', async () => {
    const d = await deploy(await app(`console.log('cannot find my config'); process.exit(4);`), 'sw-exit');
    const done = await settled(swarm.stack, d.id, 60_000);
    expect(done).toMatchObject({ status: 'failed', errorCode: 'APP_EXITED' });
    expect(await lines(d.id)).toContain('cannot find my config');
    expect(await swarm.services()).not.toContain(serviceOf(d.id));
    expect((await swarm.registryImages()).filter((t) => t.includes(d.id))).toEqual([]);
  }, 120_000);

  it('fails an app that never answers its health path with HEALTHCHECK_TIMEOUT and its output in the log', async () => {
    const d = await deploy(await app(server), 'sw-sick', { healthPath: '/sick' });
    const done = await settled(swarm.stack, d.id, 90_000);
    expect(done).toMatchObject({ status: 'failed', errorCode: 'HEALTHCHECK_TIMEOUT' });
    const all = await lines(d.id);
    // Its last lines (ticks: the start line has scrolled out of the last 50 by then).
    expect(all.some((l) => /^last \d+ lines of the app's output:$/.test(l))).toBe(true);
    expect(all.at(-2)).toBe('tick');
    expect(await swarm.services()).not.toContain(serviceOf(d.id));
  }, 120_000);

  it('cancels during the build and during the start, removing the service', async () => {
    const slow = await deploy(await app(server, 'RUN echo building && sleep 30\n'), 'sw-cancel-build');
    await waitFor('building', async () => (await callApi(swarm.stack, 'GET', `/api/deployments/${slow.id}`)).body.status === 'building', 30_000, 50);
    expect((await callApi(swarm.stack, 'POST', `/api/deployments/${slow.id}/cancel`)).status).toBe(200);
    expect((await settled(swarm.stack, slow.id, 30_000)).status).toBe('canceled');

    // Listens only after a minute: the start is under way when it is canceled.
    const late = await deploy(await app(`setTimeout(() => require('http').createServer((q, s) => s.end()).listen(3000), 60000); console.log('waiting');`), 'sw-cancel-start');
    await waitFor('starting', async () => (await callApi(swarm.stack, 'GET', `/api/deployments/${late.id}`)).body.status === 'starting', 60_000, 50);
    await waitFor('its service', async () => (await swarm.services()).includes(serviceOf(late.id)), 30_000, 50);
    expect((await callApi(swarm.stack, 'POST', `/api/deployments/${late.id}/cancel`)).status).toBe(200);
    expect((await settled(swarm.stack, late.id, 30_000)).status).toBe('canceled');
    await waitFor('the service to go', async () => !(await swarm.services()).includes(serviceOf(late.id)), 20_000);
  }, 180_000);

  it('the reaper removes services of deployments that ended or never existed', async () => {
    const stray = `${containerName(swarm.stack.instance, 'dep-unknown')}`;
    await docker.createService({
      Name: stray,
      Labels: { [labels.instance]: swarm.stack.instance, [labels.deployment]: 'dep-unknown' },
      TaskTemplate: { ContainerSpec: { Image: base.slice(5), Command: ['sleep', '600'] } },
      Mode: { Replicated: { Replicas: 1 } },
    } as never);
    await swarm.stack.workers[0]!.reaper.run();
    expect(await swarm.services()).not.toContain(stray);
  }, 60_000);
});
