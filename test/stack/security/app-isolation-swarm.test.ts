import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labels } from '@berth/shared/labels';
import { containerName } from '@berth/shared/docker-names';
import { proberLabel } from '../../../apps/worker/src/docker/swarm-prober.ts';
import { serviceNetworkName } from '../../../apps/worker/src/docker/swarm-service-spec.ts';
import { zipTestApp } from '@berth/testing/archives';
import { createDeployment, settled } from '@berth/testing/deployments';
import { request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { docker, startStack, type Stack } from '@berth/testing/stack';

// Swarm mode (real swarm, real Caddy container, the whole pipeline): each app's service is on a network of its
// own, so app A cannot open a connection to app B, by address or by name; Caddy still serves both, the worker's
// probe still works, and a removed deployment's network goes with it.
let stack: Stack;
let a: string;
let b: string;

beforeAll(async () => {
  stack = await startStack({ runtime: 'swarm' });
  const [da, db] = await Promise.all([
    createDeployment(stack, { archive: await zipTestApp('prober'), fields: { name: 'iso-a', env: JSON.stringify({ APP_NAME: 'app-a' }) } }),
    createDeployment(stack, { archive: await zipTestApp('prober'), fields: { name: 'iso-b', env: JSON.stringify({ APP_NAME: 'app-b' }) } }),
  ]);
  a = da.id;
  b = db.id;
  for (const id of [a, b]) {
    // `running` means the worker's probe (through its prober, on the app's network) got an answer.
    const d = await settled(stack, id, 150_000);
    expect(d.status, `${id}: ${d.errorCode} ${d.errorMessage}`).toBe('running');
  }
}, 240_000);
afterAll(async () => {
  await stack?.close();
}, 120_000);

const service = (id: string) => containerName(stack.instance, id);

/** What app `id`'s handler (test-apps/prober) answers on `path`, asked through Caddy. */
async function ask(id: string, path: string): Promise<any> {
  const r = await waitFor(`app ${id} through caddy`, async () => {
    const res = await request(`${stack.caddyUrl}${path}`, { host: `${id}.localhost` });
    return res.status === 200 ? res : undefined;
  }, 30_000, 100);
  return JSON.parse(r.body);
}

/**
 * From inside app `id`'s task, an HTTP GET of host:port, and which app answered. A TCP connect alone proves
 * nothing: an address that is not on the task's network goes to its default gateway, and a network may
 * accept anything there (this test machine's egress proxy does); only app B's own answer means B was reached.
 */
async function whoAnswers(id: string, host: string, port: number): Promise<{ app: string | null; answer: unknown }> {
  const answer = (await ask(id, `/fetch?host=${encodeURIComponent(host)}&port=${port}`)) as { status?: number; body?: string; error?: string };
  let app: string | null = null;
  try {
    app = (JSON.parse(answer.body ?? '') as { app?: string }).app ?? null;
  } catch {
    // not one of ours
  }
  return { app, answer };
}

/** The address of the deployment's running task on its own network. */
async function taskAddress(id: string): Promise<string> {
  const tasks = (await docker.listTasks({ filters: { service: [service(id)], 'desired-state': ['running'] } })) as {
    Status?: { State?: string };
    NetworksAttachments?: { Network: { Spec: { Name: string } }; Addresses: string[] }[];
  }[];
  const running = tasks.find((t) => t.Status?.State === 'running');
  const address = running?.NetworksAttachments?.find((n) => n.Network.Spec.Name === serviceNetworkName(service(id)))?.Addresses[0];
  expect(address, `a running task of ${id} on its network`).toBeTruthy();
  return address!.split('/')[0]!;
}

const caddyNetworks = async () => Object.keys((await docker.getContainer(stack.swarm!.caddy!.containerName).inspect()).NetworkSettings.Networks).sort();

describe('swarm mode: an app', () => {
  it('runs on a network of its own, labelled with its deployment, and Caddy serves both apps', async () => {
    for (const id of [a, b]) {
      const network = await docker.getNetwork(serviceNetworkName(service(id))).inspect();
      expect(network).toMatchObject({ Driver: 'overlay', Attachable: true, Labels: { [labels.instance]: stack.instance, [labels.deployment]: id } });
      const spec = (await docker.getService(service(id)).inspect()) as { Spec: { TaskTemplate: { Networks: { Target: string }[] } } };
      expect(spec.Spec.TaskTemplate.Networks.map((n) => n.Target)).toEqual([network.Id]); // that network only
      const res = await request(`${stack.caddyUrl}/`, { host: `${id}.localhost` });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ prober: true, app: id === a ? 'app-a' : 'app-b' });
    }
    expect(await caddyNetworks()).toEqual(['bridge', serviceNetworkName(service(a)), serviceNetworkName(service(b))].sort());
  });

  it('reaches its own service by name (the dialler works, so the refusals below mean something)', async () => {
    expect((await whoAnswers(a, service(a), 3000)).app).toBe('app-a');
    expect((await whoAnswers(a, await taskAddress(a), 3000)).app).toBe('app-a');
  });

  it("cannot reach another app's task by any of its addresses, nor resolve its service name", async () => {
    // Every address B's task has (its own network, and the gateway bridge Docker gives it for the outside).
    const { addresses } = (await ask(b, '/info')) as { addresses: string[] };
    const targets = [...new Set([await taskAddress(b), ...addresses.filter((x) => !x.startsWith('127.'))])];
    expect(targets.length).toBeGreaterThan(1);
    for (const target of targets) {
      const got = await whoAnswers(a, target, 3000);
      expect(got.app, `${target}: ${JSON.stringify(got.answer)}`).not.toBe('app-b');
    }
    const byName = await whoAnswers(a, service(b), 3000);
    expect(byName.answer).toMatchObject({ error: expect.stringMatching(/ENOTFOUND|EAI_AGAIN/) });
    // Nor the other way round.
    expect((await whoAnswers(b, await taskAddress(a), 3000)).app).not.toBe('app-a');
    expect((await whoAnswers(b, service(a), 3000)).answer).toMatchObject({ error: expect.stringMatching(/ENOTFOUND|EAI_AGAIN/) });
  });

  it('is probed by a worker prober that leaves its network once it is live', async () => {
    const probers = await docker.listContainers({ filters: { label: [`${labels.instance}=${stack.instance}`, proberLabel] } });
    expect(probers.length).toBeGreaterThan(0);
    for (const p of probers) expect(Object.keys(p.NetworkSettings.Networks)).toEqual(['bridge']);
  });

  it('takes its network along when it is removed, and Caddy leaves it; the other app is still served', async () => {
    expect((await stack.inject({ method: 'DELETE', url: `/api/deployments/${b}` })).statusCode).toBe(200);
    await waitFor('the service and its network gone', async () => {
      const networks = await docker.listNetworks({ filters: { name: [serviceNetworkName(service(b))] } });
      return networks.every((n) => n.Name !== serviceNetworkName(service(b)));
    }, 60_000, 250);
    await expect(docker.getService(service(b)).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(await caddyNetworks()).toEqual(['bridge', serviceNetworkName(service(a))].sort());
    expect((await request(`${stack.caddyUrl}/`, { host: `${a}.localhost` })).status).toBe(200);
    expect((await request(`${stack.caddyUrl}/`, { host: `${b}.localhost` })).status).toBe(404);
  }, 90_000);
});
