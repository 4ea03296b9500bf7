import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { labels } from '@berth/shared/labels';
import { SwarmRuntime } from '../../src/docker/swarm-runtime.ts';

// How runContainer starts a service and reads its first task, against a fake engine (the real swarm is in test/e2e/swarm-*).
type Task = { DesiredState: string; NodeID?: string; Status: { State: string; Err?: string }; NetworksAttachments?: unknown[] };

type Node = { ID: string; Status: { State: string }; Spec: { Availability: string } };
const node = (ID: string, state = 'ready', availability = 'active'): Node => ({ ID, Status: { State: state }, Spec: { Availability: availability } });

function fakeEngine(tasks: () => Task[], nodes: Node[] = [node('n1')]) {
  const calls: { pushAuth?: unknown; createAuth?: unknown; network?: unknown; serviceNetworks?: unknown } = {};
  const engine = {
    getImage: () => ({
      tag: async () => ({}),
      push: async (opts: { authconfig: unknown }) => {
        calls.pushAuth = opts.authconfig;
        const stream = new PassThrough();
        stream.end();
        return stream;
      },
    }),
    modem: { followProgress: (_s: unknown, done: (err: Error | null, out: unknown[]) => void) => done(null, []) },
    createNetwork: async (spec: unknown) => {
      calls.network = spec;
      return {};
    },
    createService: async (auth: unknown, spec: { TaskTemplate: { Networks: unknown } }) => {
      calls.createAuth = auth;
      calls.serviceNetworks = spec.TaskTemplate.Networks;
      return { id: 'svc1' };
    },
    listTasks: async () => tasks(),
    listNodes: async () => nodes,
  };
  return { engine: engine as unknown as Docker, calls };
}

const options = {
  name: 'berth-i-d1',
  image: 'berth-app-i:d1',
  env: {},
  labels: { [labels.instance]: 'i', [labels.deployment]: 'd1' },
  port: 3000,
  network: 'berth-i', // docker mode's shared network: swarm mode makes the service's own
  memoryBytes: 1 << 27,
  nanoCpus: 1e9,
  replicas: 1,
};
const settings = { registry: '127.0.0.1:5000', maxReplicas: 3, startTimeoutMs: 400 };

describe('SwarmRuntime.runContainer', () => {
  it('returns the address of the first task whose container started, sending the credentials with push and create', async () => {
    const attached = [{ Network: { Spec: { Name: 'berth-i-d1-net' } }, Addresses: ['10.0.9.7/24'] }];
    const { engine, calls } = fakeEngine(() => [{ DesiredState: 'running', Status: { State: 'starting' }, NetworksAttachments: attached }]);
    const runtime = new SwarmRuntime({ ...settings, credentials: { username: 'berth', password: 'pw' } }, engine);
    expect(await runtime.runContainer(options)).toEqual({ id: 'svc1', ip: '10.0.9.7' });
    const auth = { username: 'berth', password: 'pw', serveraddress: '127.0.0.1:5000' };
    expect(calls).toEqual({
      pushAuth: auth,
      createAuth: auth,
      // The service's own overlay, labelled as the deployment's, made first; the service joins only it.
      network: { Name: 'berth-i-d1-net', Driver: 'overlay', Attachable: true, CheckDuplicate: true, Labels: { [labels.instance]: 'i', [labels.deployment]: 'd1' } },
      serviceNetworks: [{ Target: 'berth-i-d1-net', Aliases: ['berth-i-d1'] }],
    });
  });

  it('sends the volumes as mounts with a placement constraint to the node holding them', async () => {
    let sent: any;
    const { engine } = fakeEngine(() => [{ DesiredState: 'running', Status: { State: 'running' } }]);
    const create = (engine as any).createService;
    (engine as any).createService = async (auth: unknown, spec: unknown) => ((sent = spec), create(auth, spec));
    const mounted = { ...options, mounts: [{ volume: 'berth-i-vol-vol1', target: '/data', labels: { [labels.volumeId]: 'vol1' }, node: { id: 'n1', local: true } }] };
    await new SwarmRuntime(settings, engine).runContainer(mounted);
    expect(sent.TaskTemplate.Placement).toEqual({ Constraints: ['node.id == n1'] });
    expect(sent.TaskTemplate.ContainerSpec.Mounts).toEqual([
      { Type: 'volume', Source: 'berth-i-vol-vol1', Target: '/data', ReadOnly: false, VolumeOptions: { Labels: { [labels.volumeId]: 'vol1' }, DriverConfig: { Name: 'local' } } },
    ]);
  });

  it('without credentials sends only the registry address', async () => {
    const { engine, calls } = fakeEngine(() => [{ DesiredState: 'running', Status: { State: 'running' } }]);
    await new SwarmRuntime(settings, engine).runContainer(options);
    expect(calls.createAuth).toEqual({ serveraddress: '127.0.0.1:5000' });
  });

  it('fails with Swarm’s reason when a task is rejected (no node could pull the image)', async () => {
    const { engine } = fakeEngine(() => [{ DesiredState: 'shutdown', NodeID: 'n1', Status: { State: 'rejected', Err: 'No such image: 127.0.0.1:5000/i/d1:latest' } }]);
    await expect(new SwarmRuntime(settings, engine).runContainer(options)).rejects.toMatchObject({
      code: 'APP_EXITED',
      message: expect.stringContaining('No such image: 127.0.0.1:5000/i/d1:latest'),
    });
  });

  it('a task one node refused is placed again while another node can take it: no failure until every node refused', async () => {
    const refusedOnN2 = { DesiredState: 'shutdown', NodeID: 'n2', Status: { State: 'rejected', Err: 'No such image: 127.0.0.1:5000/i/d1:latest' } };
    const attached = [{ Network: { Spec: { Name: 'berth-i-d1-net' } }, Addresses: ['10.0.9.8/24'] }];
    // n1 (ready) has not refused it: Swarm's next placement, on n1, starts.
    let calls = 0;
    const next = fakeEngine(
      () => (++calls < 3 ? [refusedOnN2] : [refusedOnN2, { DesiredState: 'running', NodeID: 'n1', Status: { State: 'starting' }, NetworksAttachments: attached }]),
      [node('n1'), node('n2')],
    );
    expect(await new SwarmRuntime(settings, next.engine).runContainer(options)).toEqual({ id: 'svc1', ip: '10.0.9.8' });
    // Refused by n2 while n1 never gets it: the wait runs out, naming n2's reason.
    const stuck = fakeEngine(() => [refusedOnN2], [node('n1'), node('n2')]);
    await expect(new SwarmRuntime(settings, stuck.engine).runContainer(options)).rejects.toMatchObject({
      code: 'HEALTHCHECK_TIMEOUT',
      message: expect.stringContaining('No such image'),
    });
    // Every node that can take tasks refused it (a drained and a down node do not count): fails at once with both reasons.
    const both = fakeEngine(
      () => [refusedOnN2, { DesiredState: 'shutdown', NodeID: 'n1', Status: { State: 'rejected', Err: 'pull access denied' } }],
      [node('n1'), node('n2'), node('n3', 'down'), node('n4', 'ready', 'drain')],
    );
    await expect(new SwarmRuntime({ ...settings, startTimeoutMs: 60_000 }, both.engine).runContainer(options)).rejects.toMatchObject({
      code: 'APP_EXITED',
      message: expect.stringMatching(/No such image.*; pull access denied/),
    });
  });

  it('leaves an exit to startApp (it reads the output), and times out naming why a task is still pending', async () => {
    const exited = fakeEngine(() => [{ DesiredState: 'shutdown', Status: { State: 'failed', Err: 'task: non-zero exit (4)' } }]);
    expect(await new SwarmRuntime(settings, exited.engine).runContainer(options)).toEqual({ id: 'svc1', ip: '' });
    const pending = fakeEngine(() => [{ DesiredState: 'running', Status: { State: 'pending', Err: 'no suitable node (insufficient resources on 1 node)' } }]);
    await expect(new SwarmRuntime(settings, pending.engine).runContainer(options)).rejects.toMatchObject({
      code: 'HEALTHCHECK_TIMEOUT',
      message: expect.stringContaining('no suitable node'),
    });
  });
});
