import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../../apps/worker/src/docker/docker-runtime.ts';
import { zipTestApp } from '@berth/testing/archives';
import { createDeployment, settled } from '@berth/testing/deployments';
import { request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { docker, startStack, testNetwork, type Stack } from '@berth/testing/stack';

// Apps share one Docker network; they must not be able to talk to each other,
// nor to the platform's services on the host, only be reached through Caddy.
let stack: Stack;
let a: string;
let b: string;
let control: net.Server;
let controlPort: number;
let gateway: string;

beforeAll(async () => {
  stack = await startStack();
  const [da, db] = await Promise.all([
    createDeployment(stack, { archive: await zipTestApp('prober'), fields: { name: 'prober-a' } }),
    createDeployment(stack, { archive: await zipTestApp('prober'), fields: { name: 'prober-b' } }),
  ]);
  a = da.id;
  b = db.id;
  for (const id of [a, b]) {
    const d = await settled(stack, id);
    expect(d.status, `${id}: ${d.errorCode} ${d.errorMessage}`).toBe('running');
  }
  const network = await docker.getNetwork(testNetwork).inspect();
  gateway = network.IPAM!.Config![0]!.Gateway!;
  // A listener on the bridge's own address only: proves the prober can connect when something
  // accepts (so a refusal below means something), without opening anything beyond this host.
  control = net.createServer((s) => s.end());
  await new Promise<void>((resolve) => control.listen(0, gateway, resolve));
  controlPort = (control.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => control?.close(r));
  await stack?.close();
});

/** Asks app `id`, through Caddy, to open a TCP connection to host:port. */
async function probeFrom(id: string, host: string, port: number): Promise<{ connected: boolean; error?: string }> {
  const r = await request(`${stack.caddyUrl}/probe?host=${host}&port=${port}`, { host: `${id}.localhost` });
  expect(r.status).toBe(200);
  return JSON.parse(r.body);
}

const ipOf = async (id: string) =>
  (await docker.getContainer(`berth-${stack.instance}-${id}`).inspect()).NetworkSettings.Networks[testNetwork]!.IPAddress;

describe('an app on the shared network', () => {
  it('is reachable through Caddy, and can connect to what the host opens on the bridge', async () => {
    const r = await waitFor('app a through caddy', async () => {
      const res = await request(`${stack.caddyUrl}/`, { host: `${a}.localhost` });
      return res.status === 200 ? res : undefined;
    });
    expect(JSON.parse(r.body)).toMatchObject({ prober: true });
    expect(await probeFrom(a, gateway, controlPort)).toEqual({ connected: true });
    // And the host (the worker's health probe, Caddy) reaches app B directly.
    const direct = await request(`http://${await ipOf(b)}:3000/`);
    expect(direct.status).toBe(200);
  });

  it("cannot connect to another app's container", async () => {
    const result = await probeFrom(a, await ipOf(b), 3000);
    expect(result.connected).toBe(false);
  });

  it('cannot reach Redis, Postgres, the API or Caddy (admin and HTTP) on the host, by the gateway or loopback', async () => {
    const ports = {
      redis: Number(new URL(stack.env.REDIS_URL!).port || 6379),
      postgres: Number(new URL(stack.env.DATABASE_URL!).port || 5432),
      api: Number(new URL(stack.apiUrl).port),
      caddyAdmin: Number(new URL(stack.caddy!.adminUrl).port),
      caddyHttp: stack.caddy!.httpPort,
    };
    const reached: string[] = [];
    for (const [name, port] of Object.entries(ports)) {
      for (const host of [gateway, '127.0.0.1', '172.17.0.1']) {
        if ((await probeFrom(a, host, port)).connected) reached.push(`${name} at ${host}:${port}`);
      }
    }
    expect(reached).toEqual([]);
  });

  it('has no Docker socket', async () => {
    const r = await request(`${stack.caddyUrl}/info`, { host: `${a}.localhost` });
    const info = JSON.parse(r.body);
    expect(info.gateway).toBe(gateway);
    expect(info.dockerSockets).toEqual([]);
    const container = await docker.getContainer(`berth-${stack.instance}-${a}`).inspect();
    expect(container.Mounts).toEqual([]);
  });
});

describe('the app network', () => {
  it('is created with container-to-container traffic off', async () => {
    const network = await docker.getNetwork(testNetwork).inspect();
    expect(network.Options?.['com.docker.network.bridge.enable_icc']).toBe('false');
  });

  it('made by an older Berth, is recreated isolated when empty, and left (reported) while apps use it', async () => {
    const name = `berth-legacy-${stack.instance}`;
    const runtime = new DockerRuntime(docker);
    await docker.createNetwork({ Name: name, Driver: 'bridge' });
    try {
      expect(await runtime.ensureNetwork(name)).toEqual({ isolated: true, attached: 0, bridgeInterface: expect.stringMatching(/^br-[0-9a-f]{12}$/) });
      expect((await docker.getNetwork(name).inspect()).Options?.['com.docker.network.bridge.enable_icc']).toBe('false');

      await docker.getNetwork(name).remove();
      await docker.createNetwork({ Name: name, Driver: 'bridge' });
      const holder = await docker.createContainer({
        Image: 'berth/node:24',
        Cmd: ['sleep', '30'],
        Labels: { 'dev.berth.instance': stack.instance },
        HostConfig: { NetworkMode: name, AutoRemove: true },
      });
      await holder.start();
      try {
        expect(await runtime.ensureNetwork(name)).toEqual({ isolated: false, attached: 1 });
      } finally {
        await holder.remove({ force: true });
      }
    } finally {
      await docker.getNetwork(name).remove().catch(() => {});
    }
  });
});
