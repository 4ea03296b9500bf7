import { describe, expect, it } from 'vitest';
import { neededNetworks, networkChanges } from '../src/caddy-networks.ts';
import { loadRouterSyncConfig } from '../src/config.ts';

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
