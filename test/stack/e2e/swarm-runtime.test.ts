import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labels } from '@berth/shared/labels';
import { SwarmRuntime } from '../../../apps/worker/src/docker/swarm-runtime.ts';
import { serviceNetworkName } from '../../../apps/worker/src/docker/swarm-service-spec.ts';
import { swarmDiscovery } from '../../../apps/router-sync/src/route-state.ts';
import { freePort, waitFor } from '@berth/testing/ports';
import { buildTestImage } from '@berth/testing/swarm-app';
import { startRegistry, type TestRegistry } from '@berth/testing/registry';

// Real Docker in swarm mode (scripts/lib/services.sh makes it one) and a real registry.
const docker = new Docker();
const instance = `swarmt${process.pid}`;
const network = `berth-${instance}`; // docker mode's shared network: swarm mode makes one per service instead
const image = `berth-app-${instance}:1`;
let registry: TestRegistry;
let runtime: SwarmRuntime;
let contextDir: string;

function options(name: string, env: Record<string, string> = {}, replicas = 1) {
  return {
    name,
    image,
    env: { PORT: '3000', ...env },
    labels: { [labels.instance]: instance, [labels.deployment]: name, [labels.project]: 'p', [labels.port]: '3000' },
    port: 3000,
    network,
    memoryBytes: 128 * 1024 * 1024,
    nanoCpus: 500_000_000,
    replicas,
  };
}

beforeAll(async () => {
  registry = await startRegistry();
  runtime = new SwarmRuntime({ registry: registry.address, maxReplicas: 5, startTimeoutMs: 60_000 });
  contextDir = mkdtempSync(path.join(os.tmpdir(), 'berth-swarm-app-'));
  writeFileSync(
    path.join(contextDir, 'Dockerfile'),
    `FROM berth/node:24\nCMD ["node","-e","if(process.env.CRASH){console.log('crashing');process.exit(3)}require('http').createServer((q,s)=>{console.log('hit');s.end(require('os').hostname())}).listen(3000)"]\n`,
  );
  await buildTestImage(runtime, { contextDir, tag: image, instance: instance });
  expect(await runtime.ensureNetwork(network)).toEqual({ isolated: true, attached: 0 }); // nothing shared to make
  await expect(docker.getNetwork(network).inspect()).rejects.toMatchObject({ statusCode: 404 });
}, 180_000);

afterAll(async () => {
  for (const s of await docker.listServices({ filters: { label: [`${labels.instance}=${instance}`] } })) {
    await docker.getService(s.ID).remove().catch(() => {});
  }
  await waitFor('the services tasks to go', async () => (await docker.listContainers({ filters: { label: [`${labels.instance}=${instance}`] } })).length === 0, 60_000, 250);
  for (const n of ['a', 'c']) await docker.getNetwork(serviceNetworkName(`${instance}-${n}`)).remove().catch(() => {});
  for (const tag of [image, ...['a', 'c'].map((n) => `${registry.address}/${instance}/${instance}-${n}:latest`)]) await runtime.removeImage(tag).catch(() => {});
  await registry?.stop();
  rmSync(contextDir, { recursive: true, force: true });
}, 120_000);

describe('SwarmRuntime on a real swarm and registry', () => {
  it('runs a deployment as a service with two replicas, lists it and removes it', async () => {
    const name = `${instance}-a`;
    const { id, ip } = await runtime.runContainer(options(name, {}, 2));
    expect(id).toMatch(/^[a-z0-9]+$/);
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const state = await waitFor('both replicas', async () => {
      const tasks = await docker.listTasks({ filters: { service: [name], 'desired-state': ['running'] } });
      return tasks.filter((t) => (t as { Status?: { State?: string } }).Status?.State === 'running').length === 2 && runtime.inspect(name);
    }, 90_000, 250);
    expect(state).toMatchObject({ running: true, restarting: false });
    const spec = (await docker.getService(name).inspect()) as { Spec: { EndpointSpec: { Mode: string }; UpdateConfig: { Order: string } } };
    expect(spec.Spec.EndpointSpec.Mode).toBe('dnsrr');
    expect(spec.Spec.UpdateConfig.Order).toBe('start-first');
    expect(await runtime.listAll(instance)).toEqual([{ name, deploymentId: name, running: true }]);
    // router-sync's swarm discovery: the service name, which dnsrr resolves to every task on the service's own
    // network, and that network (Caddy must join it).
    const discover = swarmDiscovery(docker);
    const own = await docker.getNetwork(serviceNetworkName(name)).inspect();
    expect(await discover({ instance, network })).toEqual([{ deploymentId: name, project: 'p', upstream: `${name}:3000`, networks: [own.Id] }]);
    await runtime.removeApp(name);
    expect(await discover({ instance, network })).toEqual([]);
    await expect(docker.getNetwork(serviceNetworkName(name)).inspect()).rejects.toMatchObject({ statusCode: 404 }); // gone with it
    expect(await runtime.inspect(name)).toBeUndefined();
    await runtime.removeApp(name); // twice: idempotent
  }, 180_000);

  it('reports a service whose tasks keep exiting as not running, with its exit code and restarts', async () => {
    const name = `${instance}-c`;
    // runContainer returns once a task started or ended; judging the exit (APP_EXITED) is startApp's, from inspect.
    await new SwarmRuntime({ registry: registry.address, maxReplicas: 5, startTimeoutMs: 8_000 }).runContainer(options(name, { CRASH: '1' }));
    const state = await waitFor('an exited task', async () => {
      const s = await runtime.inspect(name);
      return s && s.restartCount > 0 && s;
    }, 60_000, 250);
    expect(state).toMatchObject({ running: false, restarting: true, exitCode: 3 });
    expect(await runtime.listAll(instance)).toContainEqual({ name, deploymentId: name, running: false });
    expect(await swarmDiscovery(docker)({ instance, network })).toEqual([]); // no running task: no route to nothing
    await runtime.removeApp(name);
  }, 120_000);

  it('fails a deployment clearly with IMAGE_PUSH_FAILED when the registry is down', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    const down = new SwarmRuntime({ registry: closed, maxReplicas: 5, startTimeoutMs: 5_000 });
    const name = `${instance}-b`;
    await expect(down.runContainer(options(name))).rejects.toMatchObject({
      code: 'IMAGE_PUSH_FAILED',
      message: expect.stringContaining(closed),
    });
    expect(await runtime.inspect(name)).toBeUndefined();
    await runtime.removeImage(`${closed}/${instance}/${name}:latest`);
  }, 60_000);
});
