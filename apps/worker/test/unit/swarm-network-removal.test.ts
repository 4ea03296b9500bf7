import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { SwarmRuntime } from '../../src/docker/swarm-runtime.ts';

// How removeApp takes a service's network away, against a fake engine that answers as Docker 20.10 does
// (the real swarm is in test/e2e/swarm-pipeline-prober and test/security/app-isolation-swarm).
const dockerError = (statusCode: number, message: string) => Object.assign(new Error(message), { statusCode });

/** A network that refuses removal `busy` times, then is gone for the manager but held by this node `lingering` more looks. */
function fakeEngine(o: {
  busy: number;
  lingering: number;
  attached?: string[];
  removeFails?: Error;
  /** The service's tasks: running (on node `n1`, or `down` when its node is lost) until scaled to 0, then still running this many looks. */
  tasks?: { stopping: number; node?: 'n1' | 'down' }[];
  serviceGone?: boolean;
}) {
  const calls: string[] = [];
  let replicas = o.tasks?.length ?? 1;
  const stopping = (o.tasks ?? []).map((t) => t.stopping);
  let busy = o.busy;
  let removed = false;
  let lingering = o.lingering;
  const network = {
    inspect: async () => {
      calls.push('inspect');
      if (removed && lingering-- <= 0) throw dockerError(404, 'network berth-i-d1-net not found');
      return { Containers: Object.fromEntries((o.attached ?? []).map((c) => [c, {}])) };
    },
    disconnect: async ({ Container }: { Container: string }) => void calls.push(`disconnect ${Container}`),
    remove: async () => {
      calls.push('remove');
      if (o.removeFails) throw o.removeFails;
      if (removed) throw dockerError(500, 'network 1tkbs1urfhwhotf8mei49oe0k not found');
      if (busy-- > 0) throw dockerError(403, 'error while removing network: network berth-i-d1-net id 1tkbs has active endpoints');
      removed = true;
    },
  };
  const engine = {
    getService: () => ({
      inspect: async () => {
        if (o.serviceGone) throw dockerError(404, 'service berth-i-d1 not found');
        return { Version: { Index: 7 }, Spec: { Name: 'berth-i-d1', Mode: { Replicated: { Replicas: replicas } } } };
      },
      update: async ({ _body }: { _body: { Mode: { Replicated: { Replicas: number } } } }) => {
        replicas = _body.Mode.Replicated.Replicas;
        calls.push(`scale ${replicas}`);
      },
      remove: async () => void calls.push('service remove'),
    }),
    listTasks: async () => {
      calls.push('tasks');
      return (o.tasks ?? []).map((t, i) => {
        const up = replicas > 0 || stopping[i]!-- > 0;
        return { NodeID: t.node ?? 'n1', DesiredState: replicas > 0 ? 'running' : 'shutdown', Status: { State: up ? 'running' : 'shutdown' } };
      });
    },
    listNodes: async () => [{ ID: 'n1', Status: { State: 'ready' } }, { ID: 'down', Status: { State: 'down' } }],
    getNetwork: (name: string) => {
      expect(name).toBe('berth-i-d1-net');
      return network;
    },
  };
  return { engine: engine as unknown as Docker, calls };
}

const settings = { registry: '127.0.0.1:5000', maxReplicas: 3, startTimeoutMs: 400 };

describe('SwarmRuntime.removeApp and the service network', () => {
  it('removes the service, then its network once the tasks left it, disconnecting Caddy and the prober first', async () => {
    const { engine, calls } = fakeEngine({ busy: 2, lingering: 2, attached: ['caddy', 'prober'] });
    await new SwarmRuntime(settings, engine).removeApp('berth-i-d1');
    calls.splice(0, calls.indexOf('service remove'));
    expect(calls[0]).toBe('service remove');
    expect(calls.slice(1, 5)).toEqual(['inspect', 'disconnect caddy', 'disconnect prober', 'remove']);
    // Refused twice (active endpoints), accepted, then held by this node twice (500 "not found") until inspect says 404.
    expect(calls.filter((c) => c === 'remove')).toHaveLength(5);
    expect(calls.at(-1)).toBe('inspect');
  });

  it('gives up with DOCKER_UNAVAILABLE (the reaper tries again) when the network stays busy', async () => {
    const { engine } = fakeEngine({ busy: Infinity, lingering: 0 });
    await expect(new SwarmRuntime({ ...settings, networkRemovalTimeoutMs: 600 }, engine).removeApp('berth-i-d1')).rejects.toMatchObject({
      code: 'DOCKER_UNAVAILABLE',
      message: expect.stringContaining('berth-i-d1-net was still there'),
    });
  });

  it('fails at once on any other error, and is done at once when there is no network', async () => {
    const broken = fakeEngine({ busy: 0, lingering: 0, removeFails: dockerError(500, 'connect ECONNREFUSED /var/run/docker.sock') });
    await expect(new SwarmRuntime(settings, broken.engine).removeApp('berth-i-d1')).rejects.toMatchObject({ code: 'DOCKER_UNAVAILABLE' });
    const none = fakeEngine({ busy: 0, lingering: -1 });
    await (none.engine.getNetwork('berth-i-d1-net').remove as () => Promise<void>)(); // gone before we look
    none.calls.length = 0;
    await new SwarmRuntime(settings, none.engine).removeApp('berth-i-d1');
    expect(none.calls).toEqual(['scale 0', 'tasks', 'service remove', 'inspect']);
  });

  it('drains first: scales the service to 0 and removes it (and takes Caddy off its network) only once no task runs', async () => {
    const { engine, calls } = fakeEngine({ busy: 0, lingering: 0, attached: ['caddy'], tasks: [{ stopping: 3 }, { stopping: 1 }] });
    await new SwarmRuntime(settings, engine).removeApp('berth-i-d1');
    expect(calls.slice(0, 6)).toEqual(['scale 0', 'tasks', 'tasks', 'tasks', 'tasks', 'service remove']);
    expect(calls.indexOf('disconnect caddy')).toBeGreaterThan(calls.indexOf('service remove'));
  });

  it('does not wait for a task on a node that is down, nor for a service already gone', async () => {
    const lost = fakeEngine({ busy: 0, lingering: 0, tasks: [{ stopping: Infinity, node: 'down' }] });
    await new SwarmRuntime(settings, lost.engine).removeApp('berth-i-d1');
    expect(lost.calls.slice(0, 3)).toEqual(['scale 0', 'tasks', 'service remove']);
    const gone = fakeEngine({ busy: 0, lingering: 0, serviceGone: true });
    await new SwarmRuntime(settings, gone.engine).removeApp('berth-i-d1');
    expect(gone.calls[0]).toBe('service remove');
  });

  it('removes the service anyway once drainTimeoutMs is over (a task that never stops)', async () => {
    const { engine, calls } = fakeEngine({ busy: 0, lingering: 0, tasks: [{ stopping: Infinity }] });
    await new SwarmRuntime({ ...settings, drainTimeoutMs: 300 }, engine).removeApp('berth-i-d1');
    expect(calls.filter((c) => c === 'tasks').length).toBeGreaterThan(1);
    expect(calls).toContain('service remove');
  });
});
