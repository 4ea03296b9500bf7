import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labels } from '@berth/shared/labels';
import { nodeRuntimes } from '@berth/shared/node-runtimes';
import { SwarmRuntime } from '../../../apps/worker/src/docker/swarm-runtime.ts';
import { proberLabel } from '../../../apps/worker/src/docker/swarm-prober.ts';
import { serviceNetworkName } from '../../../apps/worker/src/docker/swarm-service-spec.ts';
import { waitFor } from '@berth/testing/ports';
import { startRegistry, type TestRegistry } from '@berth/testing/registry';

// The worker's health prober on a real overlay (real swarm, real registry): the probe works, and its doors hold.
const docker = new Docker();
const instance = `swprobe${process.pid}`;
const image = `berth-app-${instance}:1`;
const service = `${instance}-a`;
const network = serviceNetworkName(service); // the service's own, made by runContainer
let registry: TestRegistry;
let runtime: SwarmRuntime;
let contextDir: string;

async function proberContainer(): Promise<Docker.ContainerInfo | undefined> {
  return (await docker.listContainers({ filters: { label: [`${proberLabel}=w1`, `${labels.instance}=${instance}`] } }))[0];
}
async function proberUrl(): Promise<string> {
  const c = await proberContainer();
  const port = c?.Ports.find((p) => p.PrivatePort === 8080)?.PublicPort;
  expect(c?.Ports.map((p) => p.IP)).toEqual(['127.0.0.1']); // published on loopback only
  return `http://127.0.0.1:${port}`;
}
async function runningTaskIp(): Promise<string> {
  const tasks = (await docker.listTasks({ filters: { service: [service], 'desired-state': ['running'] } })) as {
    Status?: { State?: string };
    NetworksAttachments?: { Network: { Spec: { Name: string } }; Addresses: string[] }[];
  }[];
  const t = tasks.find((x) => x.Status?.State === 'running');
  return t?.NetworksAttachments?.find((a) => a.Network.Spec.Name === network)?.Addresses[0]?.split('/')[0] ?? '';
}

beforeAll(async () => {
  registry = await startRegistry();
  runtime = new SwarmRuntime({
    registry: registry.address,
    maxReplicas: 5,
    startTimeoutMs: 60_000,
    prober: { instance, workerName: 'w1', image: `berth/node:${nodeRuntimes.pinned}`, idleMs: 600_000 },
  });
  contextDir = mkdtempSync(path.join(os.tmpdir(), 'berth-swprobe-'));
  writeFileSync(
    path.join(contextDir, 'Dockerfile'),
    `FROM berth/node:${nodeRuntimes.pinned}\nCMD ["node","-e","require('http').createServer((q,s)=>{s.statusCode=q.url==='/broken'?503:200;s.end('ok')}).listen(3000)"]\n`,
  );
  await promisify(execFile)('docker', ['build', '-q', '-t', image, contextDir]);
  await runtime.runContainer(serviceOptions(service));
}, 180_000);

/** One replica of the test image as service `name` (its own deployment). */
function serviceOptions(name: string) {
  return {
    name,
    image,
    env: { PORT: '3000' },
    labels: { [labels.instance]: instance, [labels.deployment]: name, [labels.project]: 'p', [labels.port]: '3000' },
    port: 3000,
    network: `berth-${instance}`, // docker mode's shared network: swarm mode ignores it
    memoryBytes: 128 * 1024 * 1024,
    nanoCpus: 500_000_000,
    replicas: 1,
  };
}

afterAll(async () => {
  await runtime?.removeApp(service).catch(() => {});
  await runtime?.close();
  await waitFor('the task and prober to go', async () => (await docker.listContainers({ all: true, filters: { label: [`${labels.instance}=${instance}`] } })).length === 0, 60_000, 250);
  for (const tag of [image, `${registry.address}/${instance}/${service}:latest`]) await runtime?.removeImage(tag).catch(() => {});
  await registry?.stop();
  rmSync(contextDir, { recursive: true, force: true });
}, 120_000);

describe('the swarm health prober', () => {
  it('probes a task on the overlay through a prober it makes once and reuses', async () => {
    const target = { name: service, ip: '', port: 3000, path: '/health' };
    await waitFor('the app to answer through the prober', () => runtime.probeApp(target), 60_000, 250);
    const first = (await proberContainer())?.Id;
    expect(await runtime.probeApp({ ...target, path: '/broken' })).toBe(false); // 503: not up
    expect(await runtime.probeApp({ ...target, port: 3001 })).toBe(false); // nothing listens there
    expect((await proberContainer())?.Id).toBe(first);
  }, 90_000);

  it('refuses anyone without the worker token', async () => {
    const url = await proberUrl();
    const query = new URLSearchParams({ address: await runningTaskIp(), port: '3000', path: '/' });
    for (const headers of [{}, { 'x-berth-probe-token': 'x'.repeat(48) }]) {
      const res = await fetch(`${url}/probe?${query}`, { headers });
      expect(res.status).toBe(403);
      await res.body?.cancel();
    }
  });

  it("refuses to dial outside the app network's subnet (loopback, the bridge gateway, metadata, the network's gateway)", async () => {
    const prober = (runtime as unknown as { prober: { probe(n: string, a: string, p: number, path: string): Promise<boolean> } }).prober;
    const gateway = (await docker.getNetwork(network).inspect()).IPAM!.Config![0]!.Gateway!;
    for (const address of ['127.0.0.1', '172.17.0.1', '169.254.169.254', gateway]) {
      await expect(prober.probe(network, address, 6379, '/'), address).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('HTTP 403') });
    }
  });

  it('leaves the app network when the probes are over, and can no longer dial the app', async () => {
    const target = { name: service, ip: '', port: 3000, path: '/' };
    expect(await runtime.probeApp(target)).toBe(true);
    const id = (await proberContainer())!.Id;
    expect(Object.keys((await docker.getContainer(id).inspect()).NetworkSettings.Networks).sort()).toEqual(['bridge', network].sort());
    await runtime.endProbes(service);
    expect(Object.keys((await docker.getContainer(id).inspect()).NetworkSettings.Networks)).toEqual(['bridge']);
    const url = await proberUrl();
    const token = (runtime as unknown as { prober: { token: string } }).prober.token;
    const res = await fetch(`${url}/probe?${new URLSearchParams({ address: await runningTaskIp(), port: '3000', path: '/' })}`, {
      headers: { 'x-berth-probe-token': token },
    });
    expect({ status: res.status, body: await res.json() }).toEqual({ status: 403, body: { error: 'address outside the app network' } });
    expect(await runtime.probeApp(target)).toBe(true); // attached again for the next probes
  });

  it('cannot be reached from an app on the network it probes', async () => {
    const info = await docker.getContainer((await proberContainer())!.Id).inspect();
    const overlayIp = info.NetworkSettings.Networks[network]?.IPAddress;
    expect(overlayIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const task = (await docker.listContainers({ filters: { label: [`com.docker.swarm.service.name=${service}`] } }))[0]!;
    const exec = await docker.getContainer(task.Id).exec({
      Cmd: ['node', '-e', `require('net').connect(8080,'${overlayIp}').on('connect',()=>console.log('CONNECTED')).on('error',e=>console.log(e.code))`],
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await exec.start({});
    const out = await new Promise<string>((resolve) => {
      let text = '';
      stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
      stream.on('end', () => resolve(text));
    });
    expect(out).toContain('ECONNREFUSED');
    expect(out).not.toContain('CONNECTED');
  }, 30_000);

  it('removes the service with its network, the prober attached to it or not', async () => {
    const other = `${instance}-b`;
    await runtime.runContainer(serviceOptions(other));
    const net = await docker.getNetwork(serviceNetworkName(other)).inspect();
    expect(net.Labels).toMatchObject({ [labels.instance]: instance, [labels.deployment]: other });
    expect(net.Driver).toBe('overlay');
    await waitFor('b to answer through the prober', () => runtime.probeApp({ name: other, ip: '', port: 3000, path: '/' }), 60_000, 250);
    expect(await runtime.listAppNetworks(instance)).toEqual(expect.arrayContaining([{ deploymentId: other, service: other }]));
    await runtime.removeApp(other); // the prober is still attached: removal takes it off
    await expect(docker.getNetwork(serviceNetworkName(other)).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(await runtime.listAppNetworks(instance)).not.toContainEqual({ deploymentId: other, service: other });
    await runtime.removeApp(other); // idempotent
    await runtime.removeImage(`${registry.address}/${instance}/${other}:latest`).catch(() => {});
  }, 120_000);

  it('is made again when it dies', async () => {
    const old = (await proberContainer())!.Id;
    await docker.getContainer(old).kill().catch(() => {});
    const target = { name: service, ip: '', port: 3000, path: '/' };
    await waitFor('a new prober to answer', () => runtime.probeApp(target), 30_000, 250);
    expect((await proberContainer())?.Id).not.toBe(old);
  }, 60_000);
});
