/**
 * What one overlay per deployment costs a swarm deploy and removal, against
 * the design before (every service on one shared overlay), in the same
 * script, alternating rounds, on this Docker's swarm. Each round starts a
 * one-task service (the pinned node image answering HTTP) and removes it:
 * - shared:   service on the pre-made overlay → first task running; remove the service.
 * - isolated: the worker's steps (swarm-runtime.ts): create the service's overlay, the service on it →
 *             first task running; connect Caddy's container and the prober (router-sync and the
 *             worker do that; stand-ins here), disconnect the prober (endProbes); remove the service
 *             and then its network, waiting until this node has let go (removeServiceNetwork).
 * Build, push and the health check's interval are the same either way and left out.
 *
 *   node --conditions=@berth/source --import tsx bench/swarm-network.ts   (ROUNDS=7 by default)
 */
import Docker from 'dockerode';
import { nodeRuntimes } from '@berth/shared/node-runtimes';
import { median, until } from './platform.ts';
import { sized } from './bench-size.ts';

const docker = new Docker();
const rounds = sized('ROUNDS', 7, 1);
const prefix = `berth-bench-net-${process.pid}`;
const image = `berth/node:${nodeRuntimes.pinned}`;
const shared = `${prefix}-shared`;

async function runningTask(service: string): Promise<void> {
  await until(async () => {
    const tasks = (await docker.listTasks({ filters: { service: [service] } })) as { Status?: { State?: string } }[];
    return tasks.some((t) => t.Status?.State === 'running');
  }, `a running task of ${service}`);
}

async function createService(name: string, network: string): Promise<void> {
  await docker.createService({
    Name: name,
    TaskTemplate: {
      ContainerSpec: { Image: image, Init: true, Command: ['node', '-e', "require('http').createServer((q,s)=>s.end('ok')).listen(3000)"] },
      Networks: [{ Target: network }],
    },
    Mode: { Replicated: { Replicas: 1 } },
    EndpointSpec: { Mode: 'dnsrr' },
  } as unknown as Docker.CreateServiceOptions);
}

async function networkGone(network: string): Promise<void> {
  for (;;) {
    let info: Docker.NetworkInspectInfo;
    try {
      info = await docker.getNetwork(network).inspect();
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return;
      throw err;
    }
    for (const c of Object.keys(info.Containers ?? {})) await docker.getNetwork(network).disconnect({ Container: c, Force: true }).catch(() => {});
    await docker.getNetwork(network).remove().catch(() => {});
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A plain container on the default bridge, standing in for Caddy's or the prober's. */
async function standIn(name: string): Promise<Docker.Container> {
  const c = await docker.createContainer({ name, Image: image, Cmd: ['sleep', '3600'], HostConfig: { NetworkMode: 'bridge', AutoRemove: true } });
  await c.start();
  return c;
}

const times = { sharedUp: [] as number[], isolatedUp: [] as number[], connects: [] as number[], sharedDown: [] as number[], isolatedDown: [] as number[] };

async function sharedRound(i: number): Promise<void> {
  const name = `${prefix}-s${i}`;
  let t0 = performance.now();
  await createService(name, shared);
  await runningTask(name);
  times.sharedUp.push(performance.now() - t0);
  t0 = performance.now();
  await docker.getService(name).remove();
  times.sharedDown.push(performance.now() - t0);
}

async function isolatedRound(i: number, caddy: Docker.Container, prober: Docker.Container): Promise<void> {
  const name = `${prefix}-i${i}`;
  const network = `${name}-net`;
  let t0 = performance.now();
  await docker.createNetwork({ Name: network, Driver: 'overlay', Attachable: true, CheckDuplicate: true });
  await createService(name, network);
  await runningTask(name);
  times.isolatedUp.push(performance.now() - t0);
  t0 = performance.now();
  await docker.getNetwork(network).connect({ Container: prober.id });
  await docker.getNetwork(network).disconnect({ Container: prober.id, Force: true });
  await docker.getNetwork(network).connect({ Container: caddy.id });
  times.connects.push(performance.now() - t0);
  t0 = performance.now();
  await docker.getService(name).remove();
  await networkGone(network);
  times.isolatedDown.push(performance.now() - t0);
}

await docker.createNetwork({ Name: shared, Driver: 'overlay', Attachable: true, CheckDuplicate: true });
const caddy = await standIn(`${prefix}-caddy`);
const prober = await standIn(`${prefix}-prober`);
try {
  await sharedRound(999); // warm-up of each
  await isolatedRound(999, caddy, prober);
  for (const k of Object.keys(times) as (keyof typeof times)[]) times[k] = [];
  for (let i = 0; i < rounds; i++) {
    await sharedRound(i);
    await isolatedRound(i, caddy, prober);
  }
  const fmt = (xs: number[]) => `${xs.map((x) => x.toFixed(0)).join(' ')}  median ${median(xs).toFixed(0)}`;
  console.log(`rounds: ${rounds} (alternating)`);
  console.log(`shared overlay:   service → task running          ms: ${fmt(times.sharedUp)}`);
  console.log(`own overlay:      network + service → task running ms: ${fmt(times.isolatedUp)}`);
  console.log(`own overlay:      prober connect+disconnect, Caddy connect ms: ${fmt(times.connects)}`);
  console.log(`shared overlay:   service remove                   ms: ${fmt(times.sharedDown)}`);
  console.log(`own overlay:      service remove + network gone    ms: ${fmt(times.isolatedDown)}`);
  const up = median(times.isolatedUp) + median(times.connects) - median(times.sharedUp);
  console.log(`deploy costs more by (medians): ${up.toFixed(0)} ms; ratio start ${(median(times.isolatedUp) / median(times.sharedUp)).toFixed(2)}`);
} finally {
  for (const s of await docker.listServices({ filters: { name: [prefix] } })) await docker.getService(s.ID).remove().catch(() => {});
  await caddy.remove({ force: true }).catch(() => {});
  await prober.remove({ force: true }).catch(() => {});
  await networkGone(shared);
}
