import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { ensureIsolatedBridge } from '../../src/docker/bridge-network.ts';

/** A Docker whose create raced another worker's: two networks of one name, the name ambiguous until one goes. */
function racedDocker() {
  const networks = [
    { Name: 'berth-builds', Id: 'bbbb', Created: '2026-12-06T15:00:00.200Z', Options: { 'com.docker.network.bridge.enable_icc': 'false' }, Containers: {} },
    { Name: 'berth-builds', Id: 'aaaa', Created: '2026-12-06T15:00:00.100Z', Options: { 'com.docker.network.bridge.enable_icc': 'false' }, Containers: {} },
    { Name: 'berth-builds-other', Id: 'cccc', Created: '2026-12-06T14:00:00.000Z', Options: {}, Containers: {} },
  ];
  const removed: string[] = [];
  const docker = {
    createNetwork: async () => ({}),
    listNetworks: async () => networks.filter((n) => !removed.includes(n.Id)),
    getNetwork: (ref: string) => ({
      inspect: async () => {
        const found = networks.filter((n) => !removed.includes(n.Id) && (n.Name === ref || n.Id === ref));
        if (found.length > 1) throw Object.assign(new Error(`network ${ref} is ambiguous (2 matches found based on name)`), { statusCode: 400 });
        if (found.length === 0) throw Object.assign(new Error('no such network'), { statusCode: 404 });
        return found[0];
      },
      remove: async () => void removed.push(ref),
    }),
  };
  return { docker: docker as unknown as Docker, removed };
}

describe('the isolated bridge network', () => {
  it('keeps the oldest of two networks of one name and removes the other (two workers created it at once)', async () => {
    const { docker, removed } = racedDocker();
    const state = await ensureIsolatedBridge(docker, 'berth-builds');
    expect(removed).toEqual(['bbbb']);
    expect(state).toEqual({ isolated: true, attached: 0, bridgeInterface: 'br-aaaa' });
  });
});
