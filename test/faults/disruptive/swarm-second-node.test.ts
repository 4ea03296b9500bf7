import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerName } from '@berth/shared/docker-names';
import { zipEntries } from '@berth/testing/archives';
import { createDeployment, logLines, settled } from '@berth/testing/deployments';
import { request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { docker, startStack, type Stack } from '@berth/testing/stack';
import { startSwarmNode, type SwarmNode } from '@berth/testing/swarm-node';

// Two nodes: this machine's Docker (the manager, where the workers, the registry and the Caddy container
// run) and a second Docker Engine in a container joined as a worker node (packages/testing/src/swarm-node.ts). It
// runs with the disruptive tests, alone: while it is in the swarm, other tests' tasks could land on it.
// What it shows: a node that never had the image pulls it from the registry on the first try, its task
// answers through Caddy across the overlay, its output reaches the log (each line once, in order) with no
// worker on that node, and when the node is lost Swarm starts its task again here while requests keep
// being answered.
let stack: Stack;
let node: SwarmNode | undefined;
let isolated: SwarmNode | undefined;
let managerId: string;

interface Task {
  ID: string;
  NodeID?: string;
  Status?: { State?: string; Err?: string; ContainerStatus?: { ContainerID?: string } };
}

const hostnameApp = () =>
  zipEntries([
    { name: 'Dockerfile', content: 'FROM berth/node:24\nCOPY server.js /server.js\nCMD ["node","/server.js"]\n' },
    {
      name: 'server.js',
      // Its output names the task (its hostname): the remote task's lines reach the log with no worker on its node.
      content:
        "const me = require('os').hostname(); let n = 0; console.log('started ' + me);\n" +
        "require('http').createServer((q, s) => { if (q.url === '/say') console.log('said ' + ++n + ' ' + me); s.end(me); }).listen(Number(process.env.PORT || 3000));\n",
    },
  ]);

beforeAll(async () => {
  stack = await startStack({ runtime: 'swarm', env: { SWARM_MAX_REPLICAS: '4' } });
  managerId = ((await docker.info()) as { Swarm: { NodeID: string } }).Swarm.NodeID;
  node = await startSwarmNode({ name: `berth-node-${stack.instance}`, registry: stack.swarm!.registry.address });
}, 180_000);

afterAll(async () => {
  await node?.remove();
  await isolated?.remove();
  await stack?.close();
}, 120_000);

describe('a second swarm node', () => {
  let id: string;
  let service: string;
  let spread = false; // the first test got a task onto the node
  const tasks = async () =>
    ((await docker.listTasks({ filters: { service: [service], 'desired-state': ['running'] } })) as Task[]).filter((t) => t.Status?.State === 'running');
  const through = (host: string, path = '/') => request(`${stack.caddyUrl}${path}`, { host }).catch(() => ({ status: 0, body: '' }));

  it('runs a task of a release there (pulled from the registry on the first try) and Caddy routes to it across the overlay', async () => {
    // Not on the node: the image exists only here and in the registry.
    expect(await node!.docker('images', '--format', '{{.Repository}}')).not.toContain(stack.instance);
    expect((await stack.inject({ method: 'POST', url: '/api/projects', payload: { name: 'spread' } })).statusCode).toBe(201);
    expect((await stack.inject({ method: 'PATCH', url: '/api/projects/spread', payload: { replicas: 2 } })).statusCode).toBe(200);
    const d = await createDeployment(stack, { archive: await hostnameApp(), fields: { name: 'spread' } });
    id = d.id;
    service = containerName(stack.instance, id);
    expect(await settled(stack, id, 180_000)).toMatchObject({ status: 'running', replicas: 2 });

    // Swarm spreads a service's tasks over the nodes: one here, one there.
    const placed = await waitFor('a running task on each node', async () => {
      const running = await tasks();
      const nodes = new Set(running.map((t) => t.NodeID));
      return running.length === 2 && nodes.has(node!.id) && nodes.has(managerId) ? running : undefined;
    }, 120_000, 250);
    // Never a failed first attempt on the new node (e.g. "No such image"): every task of the service it got ran.
    const all = (await docker.listTasks({ filters: { service: [service], node: [node!.id] } })) as Task[];
    expect(all.map((t) => t.Status?.Err ?? '').filter(Boolean)).toEqual([]);
    expect(await node!.docker('images', '--format', '{{.Repository}}')).toContain(`${stack.swarm!.registry.address}/${stack.instance}/${id}`);

    // Each task answers with its hostname (its container id): both answer through Caddy, the remote one too.
    const remote = placed.find((t) => t.NodeID === node!.id)!.Status!.ContainerStatus!.ContainerID!.slice(0, 12);
    const local = placed.find((t) => t.NodeID === managerId)!.Status!.ContainerStatus!.ContainerID!.slice(0, 12);
    const seen = new Set<string>();
    await waitFor('both replicas answering through Caddy', async () => {
      for (const host of [`${id}.localhost`, 'spread.localhost']) {
        const res = await through(host);
        if (res.status === 200) seen.add(res.body);
      }
      return seen.size === 2 || undefined;
    }, 60_000, 20);
    expect(seen).toEqual(new Set([remote, local]));
    spread = true;

    // Runtime logs of the task on the node no worker runs on (the manager's service logs): each line once, in order.
    const remoteLines = async () =>
      (await logLines(stack, id)).filter((l) => l.stream === 'runtime' && l.line.endsWith(` ${remote}`)).map((l) => l.line);
    let saidThere = 0; // requests the remote task answered: it logs one numbered line each
    for (let i = 0; i < 20; i++) if ((await through(`${id}.localhost`, '/say')).body === remote) saidThere++;
    expect(saidThere, 'Caddy sent some of the requests to the remote task').toBeGreaterThan(0);
    const expected = [`started ${remote}`, ...Array.from({ length: saidThere }, (_, i) => `said ${i + 1} ${remote}`)];
    await waitFor('every line of the remote task in the log', async () => (await remoteLines()).length >= expected.length || undefined, 30_000, 250).catch(() => {});
    const runtime = (await logLines(stack, id)).filter((l) => l.stream === 'runtime').map((l) => l.line);
    expect(await remoteLines(), `the runtime log: ${JSON.stringify(runtime.slice(-40))}`).toEqual(expected);
  }, 300_000);

  it('when the node is lost, Swarm starts its task on this one and requests keep being answered', async () => {
    expect(spread, 'the first test put a task on the node').toBe(true);
    const statuses = new Map<number, number>();
    const deploymentStatuses = new Set<string>();
    const unanswered: { startedAt: number; sentAfterKill: boolean; tookMs: number; status: number; error: string }[] = [];
    let slowest = 0;
    let lostAt = Infinity;
    let killedAt = Infinity; // when the kill returned: the node's processes are gone
    let stop = false;
    const client = async () => {
      while (!stop) {
        const startedAt = Date.now();
        const res = await request(`${stack.caddyUrl}/`, { host: `${id}.localhost` }).catch((err: Error) => ({ status: 0, body: err.message }));
        const tookMs = Date.now() - startedAt;
        slowest = Math.max(slowest, tookMs);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status !== 200) unanswered.push({ startedAt: startedAt - lostAt, sentAfterKill: startedAt >= killedAt, tookMs, status: res.status, error: res.body.slice(0, 200) });
      }
    };
    const watcher = async () => {
      while (!stop) {
        deploymentStatuses.add((await stack.inject({ method: 'GET', url: `/api/deployments/${id}` })).json().status);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const running = [client(), client(), watcher()];
    let downAfter = 0;
    let replacedAfter = 0;
    try {
      lostAt = Date.now();
      await node!.kill();
      killedAt = Date.now();
      await waitFor('the node marked down', async () => {
        const n = (await docker.getNode(node!.id).inspect()) as { Status?: { State?: string } };
        return n.Status?.State === 'down' || undefined;
      }, 90_000, 250);
      downAfter = Date.now() - lostAt;
      await waitFor('two running tasks, both on this node', async () => {
        const t = await tasks();
        return (t.length === 2 && t.every((x) => x.NodeID === managerId)) || undefined;
      }, 120_000, 250);
      replacedAfter = Date.now() - lostAt;
      // The replacement answers too (not only the task that was here all along).
      const hosts = new Set((await tasks()).map((t) => t.Status!.ContainerStatus!.ContainerID!.slice(0, 12)));
      const seen = new Set<string>();
      await waitFor('both tasks on this node answering', async () => {
        const res = await through(`${id}.localhost`);
        if (res.status === 200 && hosts.has(res.body)) seen.add(res.body);
        return seen.size === 2 || undefined;
      }, 60_000, 20);
    } finally {
      stop = true;
      await Promise.all(running);
    }
    console.log(
      `node lost: marked down after ${downAfter} ms, its task replaced after ${replacedAfter} ms; ` +
        `answers ${JSON.stringify(Object.fromEntries(statuses))}, slowest ${slowest} ms, kill took ${killedAt - lostAt} ms, ` +
        `unanswered ${JSON.stringify(unanswered)}`,
    );
    // Every request sent once the node was gone was answered: Caddy gives up on a dead replica's address after a
    // 1 s dial timeout (or the connection's error) and tries the next replica. A request already on its way to the
    // node while it was being killed may get no answer at all (no proxy can tell a slow answer from a dead machine
    // without a response timeout, which would cut slow apps): at most one per client, and none sent afterwards.
    expect(unanswered.filter((u) => u.sentAfterKill), 'requests sent after the kill and not answered').toEqual([]);
    expect(unanswered.length, 'requests in flight during the kill and not answered').toBeLessThanOrEqual(2);
    expect([...deploymentStatuses]).toEqual(['running']);
  }, 300_000);

  it('a node that cannot reach the registry does not fail a deploy another node can run: Swarm places the task again, elsewhere', async () => {
    await node?.remove(); // the lost node's entry, so the new one is the only other node
    isolated = await startSwarmNode({ name: `berth-node-${stack.instance}-x`, registry: undefined });
    const d = await createDeployment(stack, { archive: await hostnameApp() });
    const name = containerName(stack.instance, d.id);
    // It has no task yet while this one runs the release above: Swarm tries it first, and it cannot pull.
    const done = await settled(stack, d.id, 180_000);
    expect(done, `${done.errorCode}: ${done.errorMessage}`).toMatchObject({ status: 'running' });
    const history = (await docker.listTasks({ filters: { service: [name] } })) as Task[];
    const refused = history.filter((t) => t.NodeID === isolated!.id && t.Status?.State === 'rejected');
    expect(refused.length, 'the isolated node was tried and refused the task').toBeGreaterThan(0);
    expect(refused[0]!.Status?.Err).toMatch(/image|pull|connection refused/i);
    expect(history.some((t) => t.NodeID === managerId && t.Status?.State === 'running')).toBe(true);
    await waitFor('the release answering through Caddy', async () => (await through(`${d.id}.localhost`)).status === 200 || undefined, 60_000, 100);
  }, 300_000);
});
