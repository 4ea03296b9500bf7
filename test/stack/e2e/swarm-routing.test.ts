import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labels } from '@berth/shared/labels';
import { containerName } from '@berth/shared/docker-names';
import { RoutingStore } from '@berth/shared/routing-store';
import { serviceNetworkName } from '../../../apps/worker/src/docker/swarm-service-spec.ts';
import { SwarmRuntime } from '../../../apps/worker/src/docker/swarm-runtime.ts';
import { HttpCaddyAdmin } from '../../../apps/router-sync/src/caddy-admin.ts';
import { request } from '@berth/testing/http';
import { buildTestImage } from '@berth/testing/swarm-app';
import { caddyAdminGet } from '@berth/testing/caddy-container';
import { waitFor } from '@berth/testing/ports';
import { docker, startStack, type Stack } from '@berth/testing/stack';

// Swarm mode's routing end to end: a real one-node swarm, a private registry, Caddy as a
// container on the stack's overlay, router-sync, the API on a unix socket. Services are made
// with SwarmRuntime directly (the worker's swarm pipeline is tested elsewhere).
const run = promisify(execFile);
let stack: Stack;
let runtime: SwarmRuntime;
let contextDir: string;
let image: string;
const deployment = 'swr0app000001';
const project = 'swrproj';

async function liveDeployment(id: string, name: string) {
  await stack.db.store.create({ id, project: name, sourceType: 'git', gitUrl: 'https://x/y.git', rootDir: '', port: 3000, env: {} });
  for (const [from, to] of [['queued', 'fetching'], ['fetching', 'building'], ['building', 'starting'], ['starting', 'running']] as const) {
    await stack.db.lifecycle.transition(id, [from], to);
  }
}

/** The running task containers of the service (this node is the only one). */
async function taskContainers(service: string) {
  return docker.listContainers({ filters: { label: [`com.docker.swarm.service.name=${service}`], status: ['running'] } });
}

const get = (host: string) => request(`${stack.caddyUrl}/`, { host });

beforeAll(async () => {
  // DOMAIN_VERIFICATION=off: the custom domain below is served once added (the DNS proof: security/domain-ownership).
  stack = await startStack({ runtime: 'swarm', workers: 0, env: { DOMAIN_VERIFICATION: 'off' } });
  runtime = new SwarmRuntime({ registry: stack.swarm!.registry.address, maxReplicas: 5, startTimeoutMs: 90_000 });
  image = `berth-app-${stack.instance}:1`;
  contextDir = mkdtempSync(path.join(os.tmpdir(), 'berth-swarm-routing-'));
  writeFileSync(
    path.join(contextDir, 'Dockerfile'),
    `FROM berth/node:24\nCMD ["node","-e","require('http').createServer((q,s)=>s.end(require('os').hostname())).listen(3000)"]\n`,
  );
  await buildTestImage(runtime, { contextDir, tag: image, instance: stack.instance });
  await liveDeployment(deployment, project);
  await new RoutingStore(stack.db.db).promote(project, deployment);
  await runtime.runContainer({
    name: containerName(stack.instance, deployment),
    image,
    env: { PORT: '3000' },
    labels: { [labels.instance]: stack.instance, [labels.deployment]: deployment, [labels.project]: project, [labels.port]: '3000' },
    port: 3000,
    network: stack.swarm!.network,
    memoryBytes: 64 * 1024 * 1024,
    nanoCpus: 250_000_000,
    replicas: 3,
  });
  await waitFor('3 running replicas', async () => (await taskContainers(containerName(stack.instance, deployment))).length === 3, 90_000, 250);
}, 240_000);

afterAll(async () => {
  await stack?.close();
  if (image) await docker.getImage(image).remove({ force: true, noprune: true }).catch(() => {});
  if (contextDir) rmSync(contextDir, { recursive: true, force: true });
}, 120_000);

describe('swarm mode: Caddy in a container on the overlay, routed by router-sync', () => {
  it('serves the API at the base domain through the unix socket', async () => {
    const health = await request(`${stack.caddyUrl}/healthz`, { host: 'localhost' });
    expect(health.status).toBe(200);
    const config = JSON.stringify(await new HttpCaddyAdmin(stack.caddy!.adminUrl).current());
    expect(config).toContain(`"dial":"unix/${stack.swarm!.caddy!.socketDir}/api.sock"`);
  });

  it('spreads requests to a deployment and its project URL over all 3 replicas', async () => {
    const replicas = new Set((await taskContainers(containerName(stack.instance, deployment))).map((c) => c.Id.slice(0, 12)));
    for (const host of [`${deployment}.localhost`, `${project}.localhost`]) {
      const seen = new Set<string>();
      await waitFor(`${host} answered by all 3 replicas`, async () => {
        const res = await get(host);
        if (res.status === 200) seen.add(res.body);
        return seen.size === 3;
      }, 30_000, 20);
      expect(seen).toEqual(replicas);
    }
  });

  it('serves a custom domain over HTTPS from the replicas, its certificate asked for through the API socket', async () => {
    const added = await stack.inject({ method: 'POST', url: `/api/projects/${project}/domains`, payload: { hostname: 'swarm.example.test' } });
    expect(added.statusCode).toBe(201);
    const ca = await waitFor('caddy local CA', async () => {
      const res = await caddyAdminGet(stack.caddy!.adminUrl, '/pki/ca/local');
      return res.status === 200 ? (JSON.parse(res.body) as { root_certificate: string }).root_certificate : undefined;
    }, 20_000);
    const replicas = new Set((await taskContainers(containerName(stack.instance, deployment))).map((c) => c.Id.slice(0, 12)));
    const seen = new Set<string>();
    await waitFor('the domain answered by all 3 replicas over HTTPS', async () => {
      const res = await httpsGet('swarm.example.test', ca);
      if (res.status === 200) seen.add(res.body);
      return seen.size === 3;
    }, 30_000, 50);
    expect(seen).toEqual(replicas);
    // An unregistered name gets no certificate (the ask answered no).
    await expect(httpsGet('other.example.test', ca)).rejects.toThrow(/alert|handshake|socket hang up|ECONNRESET/i);
  }, 60_000);

  it('answers every request while a replica is killed and replaced (no 502)', async () => {
    const service = containerName(stack.instance, deployment);
    const before = await taskContainers(service);
    const statuses = new Map<number, number>();
    let stop = false;
    const client = async () => {
      while (!stop) {
        const res = await get(`${deployment}.localhost`);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    };
    const clients = [client(), client()];
    await new Promise((r) => setTimeout(r, 500));
    const victim = before[0]!.Id;
    await docker.getContainer(victim).kill();
    // Swarm replaces the task; Caddy's lookup (refreshed every second) finds the new one.
    const replacement = await waitFor('a replacement replica', async () => {
      const now = await taskContainers(service);
      return now.length === 3 && !now.some((c) => c.Id === victim) && now.find((c) => !before.some((b) => b.Id === c.Id));
    }, 60_000, 250);
    const seen = await waitFor('the replacement answering', async () => (await get(`${deployment}.localhost`)).body === replacement.Id.slice(0, 12), 30_000, 20);
    stop = true;
    await Promise.all(clients);
    expect(seen).toBe(true);
    expect([...statuses.keys()]).toEqual([200]);
    expect(statuses.get(200)).toBeGreaterThan(10);
  }, 120_000);

  it('keeps Caddy\'s admin API off every network: not from the host over TCP, not from an app container', async () => {
    const caddy = await docker.getContainer(stack.swarm!.caddy!.containerName).inspect();
    const bridgeIp = caddy.NetworkSettings.Networks.bridge!.IPAddress;
    // Caddy's address on the app's own network (router-sync connected it there to route to the app).
    const overlayIp = caddy.NetworkSettings.Networks[serviceNetworkName(containerName(stack.instance, deployment))]!.IPAddress;
    const { httpPort } = stack.caddy!;
    // From the host: the container's bridge address. The HTTP port answers (the probe can succeed)...
    expect(await tcpConnects(bridgeIp, httpPort)).toBe(true);
    // ...the admin port (Caddy's default 2019) and the ask listener (loopback inside the container) do not.
    expect(await tcpConnects(bridgeIp, 2019)).toBe(false);
    expect(await tcpConnects(bridgeIp, 2021)).toBe(false);
    // From an app's task on the overlay: the same, and its own loopback has no admin either.
    const [app] = await taskContainers(containerName(stack.instance, deployment));
    const probe = `const n=require('net');Promise.all(process.argv.slice(1).map(a=>new Promise(r=>{const[h,p]=a.split(' ');const s=n.connect(+p,h);s.setTimeout(3000);s.on('connect',()=>{s.destroy();r(a+'=open')});s.on('error',()=>r(a+'=closed'));s.on('timeout',()=>{s.destroy();r(a+'=closed')})}))).then(x=>console.log(x.join(';')))`;
    const targets = [`${overlayIp} ${httpPort}`, `${overlayIp} 2019`, `${overlayIp} 2021`, '127.0.0.1 2019'];
    const { stdout } = await run('docker', ['exec', app!.Id, 'node', '-e', probe, ...targets]);
    expect(stdout.trim()).toBe(`${overlayIp} ${httpPort}=open;${overlayIp} 2019=closed;${overlayIp} 2021=closed;127.0.0.1 2019=closed`);
  }, 60_000);

  it('gets its routes back after the Caddy container is killed and started again', async () => {
    await stack.caddy!.restart({ crash: true });
    // Only router-sync's resync timer (1 s in tests) brings them back: the container started with the bare config.
    await waitFor('the route back', async () => (await get(`${deployment}.localhost`)).status === 200, 20_000, 100);
    expect((await request(`${stack.caddyUrl}/healthz`, { host: 'localhost' })).status).toBe(200);
  }, 60_000);

  it('drops the route of a stopped deployment (404) while its service still runs', async () => {
    expect((await get(`${deployment}.localhost`)).status).toBe(200);
    await stack.db.lifecycle.transition(deployment, ['running'], 'stopped');
    await stack.router!.runNow();
    const res = await get(`${deployment}.localhost`);
    expect(res.status).toBe(404);
    expect(res.body).toContain('no deployment');
    expect((await get(`${project}.localhost`)).status).toBe(404);
  });
});

function tcpConnects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.setTimeout(3000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

/** An HTTPS GET of / on Caddy's published HTTPS port for `hostname` (SNI and Host), trusting only `ca`. */
function httpsGet(hostname: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: '127.0.0.1', port: stack.caddy!.httpsPort, servername: hostname, headers: { host: hostname }, path: '/', ca, agent: false, timeout: 10_000 },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}
