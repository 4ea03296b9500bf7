import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerName } from '@berth/shared/docker-names';
import { labels } from '@berth/shared/labels';
import { RoutingStore } from '@berth/shared/routing-store';
import { buildApp } from '../../../apps/api/src/app.ts';
import { SwarmRuntime } from '../../../apps/worker/src/docker/swarm-runtime.ts';
import { swarmDiscovery } from '../../../apps/router-sync/src/route-state.ts';
import { waitFor } from '@berth/testing/ports';
import { zipTestApp } from '@berth/testing/archives';
import { createDeployment, settled } from '@berth/testing/deployments';
import { request } from '@berth/testing/http';
import { deploymentIn } from '@berth/testing/replicas';
import { buildTestImage } from '@berth/testing/swarm-app';
import { authHeaders, docker, startStack, type Stack } from '@berth/testing/stack';

// Scaling on a real swarm: the API (swarm mode) stores the count and pokes the workers; a swarm
// worker's replica reconciler scales the deployment's service; Caddy (a container on the overlay,
// routed by router-sync) spreads requests over the tasks. The service is made here with
// SwarmRuntime, as the pipeline's last step makes it, for a deployment row that is running.
let stack: Stack;
let runtime: SwarmRuntime;
let contextDir: string;
let image: string;
let network: string;
let id: string;
let service: string;

interface Task {
  ID: string;
  Status?: { State?: string; ContainerStatus?: { ContainerID?: string } };
}

const runningTasks = async () =>
  ((await docker.listTasks({ filters: { service: [service], 'desired-state': ['running'] } })) as Task[]).filter((t) => t.Status?.State === 'running');
const specReplicas = async () =>
  ((await docker.getService(service).inspect()) as { Spec: { Mode: { Replicated: { Replicas: number } } } }).Spec.Mode.Replicated.Replicas;
const scale = (replicas: unknown) => stack.inject({ method: 'PATCH', url: `/api/deployments/${id}`, payload: { replicas } });
const until = (what: string, check: () => Promise<boolean>) => waitFor(what, async () => (await check()) || undefined, 90_000, 200);
/** The hostnames (task container ids) that answer `host` through Caddy, until `n` different ones did. */
async function answeredBy(host: string, n: number): Promise<Set<string>> {
  const seen = new Set<string>();
  await waitFor(`${host} answered by ${n} replicas`, async () => {
    const res = await request(`${stack.caddyUrl}/`, { host });
    if (res.status === 200) seen.add(res.body);
    return seen.size >= n;
  }, 60_000, 20);
  return seen;
}
const taskHosts = async () => new Set((await runningTasks()).map((t) => t.Status!.ContainerStatus!.ContainerID!.slice(0, 12)));

beforeAll(async () => {
  stack = await startStack({ runtime: 'swarm', workers: 0, env: { SWARM_MAX_REPLICAS: '5' } });
  network = stack.swarm!.network;
  image = `berth-app-${stack.instance}:1`;
  runtime = new SwarmRuntime({ registry: stack.swarm!.registry.address, maxReplicas: 5, startTimeoutMs: 60_000 });
  contextDir = mkdtempSync(path.join(os.tmpdir(), 'berth-replicas-app-'));
  writeFileSync(
    path.join(contextDir, 'Dockerfile'),
    `FROM berth/node:24\nCMD ["node","-e","require('http').createServer((q,s)=>s.end(require('os').hostname())).listen(3000)"]\n`,
  );
  await buildTestImage(runtime, { contextDir, tag: image, instance: stack.instance });
  // A running deployment of project shop that serves its URL, and its service with one task.
  id = await deploymentIn(stack, 'shop', 'running');
  await new RoutingStore(stack.db.db).promote('shop', id);
  service = containerName(stack.instance, id);
  await runtime.runContainer({
    name: service,
    image,
    env: { PORT: '3000' },
    labels: { [labels.instance]: stack.instance, [labels.deployment]: id, [labels.project]: 'shop', [labels.port]: '3000' },
    port: 3000,
    network,
    memoryBytes: 64 * 1024 * 1024,
    nanoCpus: 250_000_000,
    replicas: 1,
  });
  await stack.addWorker();
}, 240_000);

afterAll(async () => {
  await stack?.close(); // its services, Caddy container, overlay, registry and pushed images too
  if (image) await docker.getImage(image).remove({ force: true, noprune: true }).catch(() => {});
  if (contextDir) rmSync(contextDir, { recursive: true, force: true });
}, 120_000);

describe('replicas on a real swarm', () => {
  it('PATCH replicas 3 → three tasks, and requests through Caddy spread over all three; 3 → 1 → one, with no request failing on the way down', async () => {
    const up = await scale(3);
    expect(up.statusCode).toBe(200);
    expect(up.json()).toMatchObject({ replicas: 3, current: true });
    await until('three running tasks', async () => (await runningTasks()).length === 3 && (await specReplicas()) === 3);
    // Each replica answers with its own hostname (its container id): all three answer, for both URLs.
    const hosts = await taskHosts();
    expect(hosts.size).toBe(3);
    for (const host of [`${id}.localhost`, 'shop.localhost']) expect(await answeredBy(host, 3)).toEqual(hosts);

    // Down to one while two clients keep asking: Swarm stops two tasks, the route keeps the one left.
    const statuses = new Map<number, number>();
    let stop = false;
    const client = async () => {
      while (!stop) {
        const res = await request(`${stack.caddyUrl}/`, { host: `${id}.localhost` });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    };
    const clients = [client(), client()];
    expect((await scale(1)).statusCode).toBe(200);
    await until('one running task', async () => (await specReplicas()) === 1 && (await runningTasks()).length === 1);
    const [last] = await taskHosts();
    await waitFor('only the last replica answering', async () => (await request(`${stack.caddyUrl}/`, { host: `${id}.localhost` })).body === last, 30_000, 20);
    stop = true;
    await Promise.all(clients);
    expect([...statuses.keys()]).toEqual([200]);
  }, 240_000);

  it('refuses a bad count (400) and, in docker mode, more than one (409 REPLICAS_NEED_SWARM), leaving the service alone', async () => {
    for (const bad of [0, 6, 1.5, 'two']) {
      const res = await scale(bad);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('INVALID_REPLICAS');
    }
    const dockerApi = await buildApp({ ...stack.apiDeps(), config: { ...stack.apiConfig, BERTH_RUNTIME: 'docker' } });
    try {
      const res = await dockerApi.inject({ method: 'PATCH', url: `/api/deployments/${id}`, payload: { replicas: 3 }, headers: authHeaders });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('REPLICAS_NEED_SWARM');
    } finally {
      await dockerApi.close();
    }
    expect(await specReplicas()).toBe(1);
  });

  it('a replica that dies is replaced while the others keep serving (the route keeps a running task)', async () => {
    expect((await scale(2)).statusCode).toBe(200);
    await until('two running tasks', async () => (await runningTasks()).length === 2);
    const [victim] = await runningTasks();
    await docker.getContainer(victim!.Status!.ContainerStatus!.ContainerID!).kill();
    // The other task runs throughout: the service stays routed, and the deployment stays running.
    expect((await runtime.inspect(service))?.running).toBe(true);
    expect(await swarmDiscovery(docker)({ instance: stack.instance, network })).toHaveLength(1);
    await until('a replacement task', async () => {
      const tasks = await runningTasks();
      return tasks.length === 2 && !tasks.some((t) => t.ID === victim!.ID);
    });
    expect((await stack.inject({ method: 'GET', url: `/api/deployments/${id}` })).json()).toMatchObject({ status: 'running', replicas: 2 });
  }, 180_000);

  it('a PATCH while no worker runs is applied when one comes back (level-triggered, no lost edge)', async () => {
    await stack.workers.pop()!.close();
    expect((await scale(3)).statusCode).toBe(200);
    // The poke went to nobody: the service keeps its old count.
    expect(await specReplicas()).toBe(2);
    await stack.addWorker();
    await until('three running tasks after the worker came back', async () => (await specReplicas()) === 3 && (await runningTasks()).length === 3);
  }, 180_000);

  it('two scales of the same service at once both land (a version conflict is read again and retried)', async () => {
    await stack.workers.pop()!.close(); // no reconciler to put the stored count back meanwhile
    // What a lost race looks like to the engine: an update naming a stale version is refused.
    const before = (await docker.getService(service).inspect()) as { Version: { Index: number }; Spec: Record<string, unknown> };
    await runtime.scale(service, 2);
    await expect(docker.getService(service).update({ _query: { version: before.Version.Index }, _body: before.Spec })).rejects.toThrow(/out of sequence/);
    await Promise.all([runtime.scale(service, 4), runtime.scale(service, 5)]);
    expect([4, 5]).toContain(await specReplicas());
    await expect(runtime.scale(service, 6)).rejects.toMatchObject({ code: 'INVALID_REPLICAS' });
    await expect(runtime.scale(`${service}-gone`, 2)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await runtime.replicas(`${service}-gone`)).toBeUndefined();
  }, 60_000);

  it("a deployment through the whole pipeline starts with its project's replicas", async () => {
    await stack.addWorker();
    expect((await stack.inject({ method: 'POST', url: '/api/projects', payload: { name: 'pipe' } })).statusCode).toBe(201);
    expect((await stack.inject({ method: 'PATCH', url: '/api/projects/pipe', payload: { replicas: 2 } })).statusCode).toBe(200);
    const d = await createDeployment(stack, { archive: await zipTestApp('hello'), fields: { name: 'pipe' } });
    expect(d.replicas).toBe(2);
    const done = await settled(stack, d.id, 120_000);
    expect(done).toMatchObject({ status: 'running', replicas: 2 });
    const name = containerName(stack.instance, d.id);
    const inspect = async () => ((await docker.getService(name).inspect()) as { Spec: { Mode: { Replicated: { Replicas: number } } } }).Spec.Mode.Replicated.Replicas;
    const running = async () =>
      ((await docker.listTasks({ filters: { service: [name], 'desired-state': ['running'] } })) as Task[]).filter((t) => t.Status?.State === 'running').length;
    await until('two running tasks of the new release', async () => (await inspect()) === 2 && (await running()) === 2);
  }, 240_000);
});
