import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { SwarmRuntime } from '../src/docker/swarm-runtime.ts';

// How removeContainer takes a service's network away, against a fake engine that answers as Docker 20.10 does
// (the real swarm is in test/e2e/swarm-pipeline-prober and test/security/app-isolation-swarm).
const dockerError = (statusCode: number, message: string) => Object.assign(new Error(message), { statusCode });

/** A network that refuses removal `busy` times, then is gone for the manager but held by this node `lingering` more looks. */
function fakeEngine(o: { busy: number; lingering: number; attached?: string[]; removeFails?: Error }) {
  const calls: string[] = [];
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
    getService: () => ({ remove: async () => void calls.push('service remove') }),
    getNetwork: (name: string) => {
      expect(name).toBe('berth-i-d1-net');
      return network;
    },
  };
  return { engine: engine as unknown as Docker, calls };
}

const settings = { registry: '127.0.0.1:5000', maxReplicas: 3, startTimeoutMs: 400 };

describe('SwarmRuntime.removeContainer and the service network', () => {
  it('removes the service, then its network once the tasks left it, disconnecting Caddy and the prober first', async () => {
    const { engine, calls } = fakeEngine({ busy: 2, lingering: 2, attached: ['caddy', 'prober'] });
    await new SwarmRuntime(settings, engine).removeContainer('berth-i-d1');
    expect(calls[0]).toBe('service remove');
    expect(calls.slice(1, 5)).toEqual(['inspect', 'disconnect caddy', 'disconnect prober', 'remove']);
    // Refused twice (active endpoints), accepted, then held by this node twice (500 "not found") until inspect says 404.
    expect(calls.filter((c) => c === 'remove')).toHaveLength(5);
    expect(calls.at(-1)).toBe('inspect');
  });

  it('gives up with DOCKER_UNAVAILABLE (the reaper tries again) when the network stays busy', async () => {
    const { engine } = fakeEngine({ busy: Infinity, lingering: 0 });
    await expect(new SwarmRuntime({ ...settings, networkRemovalTimeoutMs: 600 }, engine).removeContainer('berth-i-d1')).rejects.toMatchObject({
      code: 'DOCKER_UNAVAILABLE',
      message: expect.stringContaining('berth-i-d1-net was still there'),
    });
  });

  it('fails at once on any other error, and is done at once when there is no network', async () => {
    const broken = fakeEngine({ busy: 0, lingering: 0, removeFails: dockerError(500, 'connect ECONNREFUSED /var/run/docker.sock') });
    await expect(new SwarmRuntime(settings, broken.engine).removeContainer('berth-i-d1')).rejects.toMatchObject({ code: 'DOCKER_UNAVAILABLE' });
    const none = fakeEngine({ busy: 0, lingering: -1 });
    await (none.engine.getNetwork('berth-i-d1-net').remove as () => Promise<void>)(); // gone before we look
    none.calls.length = 0;
    await new SwarmRuntime(settings, none.engine).removeContainer('berth-i-d1');
    expect(none.calls).toEqual(['service remove', 'inspect']);
  });
});
