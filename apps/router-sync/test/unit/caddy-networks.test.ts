import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@berth/shared/logger';
import { CaddyNetworks, neededNetworks, networkChanges } from '../../src/caddy-networks.ts';
import { loadRouterSyncConfig } from '../../src/config.ts';

// Which app networks Caddy's container joins and leaves (swarm mode); the real Docker side is in test/security/app-isolation-swarm.
describe('Caddy on the app networks', () => {
  const app = (deploymentId: string, networks?: string[]) => ({ deploymentId, project: 'p', upstream: `${deploymentId}:3000`, networks });

  it('joins the networks of the routed apps it is not on, and leaves only app networks no routed app uses', () => {
    const needed = neededNetworks([app('a', ['na']), app('b', ['nb']), app('b2', ['nb']), app('docker')]);
    expect([...needed].sort()).toEqual(['na', 'nb']);
    const on = new Set(['bridge-id', 'na', 'gone-app', 'legacy-shared']);
    const owned = new Set(['na', 'nb', 'gone-app']); // this installation's app networks (labelled with a deployment)
    expect(networkChanges({ on, owned, needed })).toEqual({ connect: ['nb'], disconnect: ['gone-app'] });
  });

  it('changes nothing when it is on exactly the networks it needs', () => {
    expect(networkChanges({ on: new Set(['bridge-id', 'na']), owned: new Set(['na']), needed: new Set(['na']) })).toEqual({ connect: [], disconnect: [] });
  });

  it('leaves every app network when no app is routed, never the others', () => {
    const on = new Set(['bridge-id', 'na', 'nb']);
    expect(networkChanges({ on, owned: new Set(['na', 'nb']), needed: neededNetworks([]) })).toEqual({ connect: [], disconnect: ['na', 'nb'] });
  });
});

/** Docker as CaddyNetworks sees it: Caddy's container on `on`, this installation's app networks `owned`, some gone. */
function fakeDocker(state: { on: Set<string>; owned: string[]; gone: Set<string>; failing?: Error }) {
  const calls: string[] = [];
  const err = (statusCode: number, message: string) => Object.assign(new Error(message), { statusCode });
  const docker = {
    getContainer: (name: string) => ({
      inspect: async () => {
        expect(name).toBe('caddy');
        return { NetworkSettings: { Networks: Object.fromEntries([...state.on].map((id) => [`name-${id}`, { NetworkID: id }])) } };
      },
    }),
    listNetworks: async () => state.owned.map((Id) => ({ Id })),
    getNetwork: (id: string) => ({
      connect: async () => {
        calls.push(`connect ${id}`);
        if (state.failing) throw state.failing;
        // A swarm network the manager removed while this node still holds it answers 500 "not found".
        if (state.gone.has(id)) throw err(id.startsWith('held') ? 500 : 404, `network ${id} not found`);
        state.on.add(id);
      },
      disconnect: async () => {
        calls.push(`disconnect ${id}`);
        state.on.delete(id);
      },
    }),
  };
  return { docker: docker as unknown as Docker, calls };
}

describe('CaddyNetworks against the engine', () => {
  const app = (deploymentId: string, networks: string[]) => ({ deploymentId, project: 'p', upstream: `${deploymentId}:3000`, networks });
  const logger = createLogger('test', 'silent');

  it('connects before routing, leaves out an app whose network is gone, and disconnects only unused app networks', async () => {
    const state = { on: new Set(['bridge', 'na', 'old']), owned: ['na', 'nb', 'old', 'gone', 'held'], gone: new Set(['gone', 'held']) };
    const { docker, calls } = fakeDocker(state);
    const networks = new CaddyNetworks(docker, { container: 'caddy', instance: 'i', logger });
    const apps = [app('a', ['na']), app('b', ['nb']), app('c', ['gone']), app('d', ['held'])];
    const routed = await networks.attach(apps);
    expect(routed.map((a) => a.deploymentId)).toEqual(['a', 'b']);
    expect(calls).toEqual(['connect gone', 'connect held', 'connect nb']);
    calls.length = 0;
    await networks.detachUnused(routed);
    expect(calls).toEqual(['disconnect old']);
    expect([...state.on].sort()).toEqual(['bridge', 'na', 'nb']);
  });

  it('stays on a network for drainMs after its last route went (requests forwarded there are still answered), and forgets a network routed again', async () => {
    const state = { on: new Set(['bridge', 'na', 'nb']), owned: ['na', 'nb'], gone: new Set<string>() };
    const { docker, calls } = fakeDocker(state);
    let now = 1_000;
    const networks = new CaddyNetworks(docker, { container: 'caddy', instance: 'i', logger, drainMs: 5_000, now: () => now });
    await networks.detachUnused([app('a', ['na'])]); // nb unused from now on
    now += 4_999;
    await networks.detachUnused([app('a', ['na'])]);
    expect(calls).toEqual([]);
    await networks.detachUnused([app('b', ['nb'])]); // nb routed again; na unused from now on
    now += 4_999;
    await networks.detachUnused([]); // nb unused again: its clock starts over
    expect(calls).toEqual([]);
    now += 1;
    await networks.detachUnused([]);
    expect(calls).toEqual(['disconnect na']);
    now += 4_999;
    await networks.detachUnused([]);
    expect(calls).toEqual(['disconnect na', 'disconnect nb']);
    expect([...state.on]).toEqual(['bridge']);
  });

  it('fails the run (router-sync retries) when Docker fails otherwise, rather than routing without the network', async () => {
    const failing = Object.assign(new Error('connect ECONNREFUSED /var/run/docker.sock'), { statusCode: 500 });
    const { docker } = fakeDocker({ on: new Set(['bridge']), owned: ['na'], gone: new Set(), failing });
    await expect(new CaddyNetworks(docker, { container: 'caddy', instance: 'i', logger }).attach([app('a', ['na'])])).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('router-sync config: CADDY_CONTAINER', () => {
  it('is required in swarm mode, refused in docker mode, and must be a container name', () => {
    expect(loadRouterSyncConfig({ BERTH_RUNTIME: 'swarm', CADDY_CONTAINER: 'berth-x-caddy' }).CADDY_CONTAINER).toBe('berth-x-caddy');
    expect(loadRouterSyncConfig({}).CADDY_CONTAINER).toBeUndefined();
    expect(() => loadRouterSyncConfig({ BERTH_RUNTIME: 'swarm' })).toThrow(/CADDY_CONTAINER: required when BERTH_RUNTIME=swarm/);
    expect(() => loadRouterSyncConfig({ CADDY_CONTAINER: 'berth-x-caddy' })).toThrow(/CADDY_CONTAINER: only for BERTH_RUNTIME=swarm/);
    for (const bad of ['-caddy', 'a b', 'caddy;rm', '', 'x'.repeat(129)]) {
      expect(() => loadRouterSyncConfig({ BERTH_RUNTIME: 'swarm', CADDY_CONTAINER: bad }), bad).toThrow(/CADDY_CONTAINER/);
    }
  });
});
