import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { SwarmProber } from '../../src/docker/swarm-prober.ts';
import { localNodeId, probeTasks, replaceTask } from '../../src/docker/swarm-task-liveness.ts';

// The swarm side of the liveness watch against a fake engine (the real swarm: test/stack/e2e/swarm-any-image).
const network = 'berth-i-d1-net';
const task = (ID: string, over: Record<string, unknown> = {}) => ({
  ID,
  DesiredState: 'running',
  NodeID: 'n1',
  Status: { State: 'running', Timestamp: '2026-12-06T12:00:00Z', ContainerStatus: { ContainerID: `c-${ID}` } },
  NetworksAttachments: [{ Network: { Spec: { Name: network } }, Addresses: [`10.0.9.${ID.length + 1}/24`] }],
  ...over,
});

function fakeEngine(tasks: Record<string, unknown>[], options: { killError?: Error & { statusCode?: number } } = {}) {
  const calls = { killed: [] as string[], unpaused: [] as string[], updates: [] as unknown[] };
  let version = 7;
  const engine = {
    listTasks: async () => tasks,
    listNodes: async () => [
      { ID: 'n1', Status: { State: 'ready' } },
      { ID: 'n2', Status: { State: 'ready' } },
      { ID: 'n3', Status: { State: 'down' } },
    ],
    getTask: (id: string) => ({
      inspect: async () => {
        const found = tasks.find((t) => t.ID === id);
        if (!found) throw Object.assign(new Error('no such task'), { statusCode: 404 });
        return found;
      },
    }),
    getContainer: (id: string) => ({
      kill: async () => {
        if (options.killError && !calls.unpaused.includes(id)) throw options.killError;
        calls.killed.push(id);
      },
      unpause: async () => void calls.unpaused.push(id),
    }),
    getService: () => ({
      inspect: async () => ({ Version: { Index: version }, Spec: { Name: 'svc', TaskTemplate: { ForceUpdate: 2 }, Mode: { Replicated: { Replicas: 3 } } } }),
      update: async (opts: unknown) => {
        calls.updates.push(opts);
        version++;
      },
    }),
    info: async () => ({ Swarm: { NodeID: 'n1' } }),
  };
  return { engine: engine as unknown as Docker, calls };
}

describe('probeTasks', () => {
  it('asks every running task on a live node, through the prober, on its address in the network; any status counts as an answer', async () => {
    const tasks = [
      task('up'),
      task('err'),
      task('silent'),
      task('far', { NodeID: 'n3' }), // its node is down: left to Swarm
      task('old', { DesiredState: 'shutdown' }),
      task('nowhere', { NetworksAttachments: [] }),
    ];
    const asked: unknown[][] = [];
    const statuses: Record<string, number | undefined> = { '10.0.9.3': 200, '10.0.9.4': 500, '10.0.9.7': undefined };
    const prober = { ask: async (...args: unknown[]) => (asked.push(args), statuses[args[1] as string]) } as unknown as SwarmProber;
    const { engine } = fakeEngine(tasks);
    const probes = await probeTasks(engine, prober, { service: 'svc', network, port: 8080, path: '/health' });
    expect(probes.map((p) => [p.id, p.answered])).toEqual([
      ['up', true],
      ['err', true],
      ['silent', false],
    ]);
    expect(asked[0]).toEqual([network, '10.0.9.3', 8080, '/health']);
    expect(probes[0]!.startedAt).toBe('2026-12-06T12:00:00Z');
  });
});

describe('replaceTask', () => {
  it('kills the container of a task on this node (the restart policy starts another)', async () => {
    const { engine, calls } = fakeEngine([task('t1')]);
    expect(await replaceTask(engine, 'svc', 't1', await localNodeId(engine))).toBe('killed');
    expect(calls.killed).toEqual(['c-t1']);
    expect(calls.updates).toEqual([]);
  });

  it('a paused container that refuses the signal is thawed, then killed', async () => {
    const paused = Object.assign(new Error('Container c-t1 is paused. Unpause the container before stopping or killing'), { statusCode: 409 });
    const { engine, calls } = fakeEngine([task('t1')], { killError: paused });
    expect(await replaceTask(engine, 'svc', 't1', 'n1')).toBe('killed');
    expect(calls.unpaused).toEqual(['c-t1']);
    expect(calls.killed).toEqual(['c-t1']);
  });

  it("force-updates the service for a task on another node (this worker cannot reach that node's Docker), naming the version it read", async () => {
    const { engine, calls } = fakeEngine([task('t2', { NodeID: 'n2' })]);
    expect(await replaceTask(engine, 'svc', 't2', 'n1')).toBe('service updated');
    expect(calls.killed).toEqual([]);
    expect(calls.updates).toEqual([
      { _query: { version: 7 }, _body: { Name: 'svc', TaskTemplate: { ForceUpdate: 3 }, Mode: { Replicated: { Replicas: 3 } } } },
    ]);
  });

  it('leaves alone a task that is gone or no longer meant to run', async () => {
    const { engine, calls } = fakeEngine([task('t3', { DesiredState: 'shutdown' }), task('t4', { Status: { State: 'failed' } })]);
    expect(await replaceTask(engine, 'svc', 'gone', 'n1')).toBe('gone');
    expect(await replaceTask(engine, 'svc', 't3', 'n1')).toBe('gone');
    expect(await replaceTask(engine, 'svc', 't4', 'n1')).toBe('gone');
    expect(calls.killed).toEqual([]);
    expect(calls.updates).toEqual([]);
  });
});
