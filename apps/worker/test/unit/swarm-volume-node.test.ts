import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { assertMountsHere, volumesNode } from '../../src/docker/swarm-volume-node.ts';

// Where a project's volumes live in swarm mode, against a fake manager's node list (the real swarm: test/stack/e2e/swarm-volumes).
type Node = { ID: string; Status: { State: string }; Spec: { Availability: string } };
const node = (ID: string, state = 'ready', availability = 'active'): Node => ({ ID, Status: { State: state }, Spec: { Availability: availability } });

function fakes(here: string | undefined, nodes: Node[], recorded?: string | null) {
  const pinned: string[] = [];
  const engine = { info: async () => ({ Swarm: { NodeID: here ?? '' } }), listNodes: async () => nodes } as unknown as Docker;
  const volumes = {
    pinToNode: async (_project: string, candidate: string) => {
      pinned.push(candidate);
      return recorded === null ? undefined : (recorded ?? candidate);
    },
  };
  return { engine, volumes, pinned };
}

describe('volumesNode', () => {
  it('records this worker’s node on first use and says it is local', async () => {
    const { engine, volumes, pinned } = fakes('n1', [node('n1'), node('n2')]);
    expect(await volumesNode(engine, volumes, 'shop')).toEqual({ id: 'n1', local: true });
    expect(pinned).toEqual(['n1']);
  });

  it('keeps the node recorded before, another worker’s: not local', async () => {
    const { engine, volumes } = fakes('n1', [node('n1'), node('n2')], 'n2');
    expect(await volumesNode(engine, volumes, 'shop')).toEqual({ id: 'n2', local: false });
  });

  it('is undefined when the project has no volume left (deleted meanwhile)', async () => {
    const { engine, volumes } = fakes('n1', [node('n1')], null);
    expect(await volumesNode(engine, volumes, 'shop')).toBeUndefined();
  });

  it('fails with VOLUME_NODE_UNAVAILABLE when the recorded node left the swarm', async () => {
    const { engine, volumes } = fakes('n1', [node('n1')], 'gone1');
    await expect(volumesNode(engine, volumes, 'shop')).rejects.toMatchObject({ code: 'VOLUME_NODE_UNAVAILABLE', message: expect.stringContaining('gone1, which is no longer in the swarm') });
  });

  for (const [state, availability] of [['down', 'active'], ['ready', 'drain'], ['ready', 'pause']]) {
    it(`fails with VOLUME_NODE_UNAVAILABLE when the recorded node is ${state}, ${availability}`, async () => {
      const { engine, volumes } = fakes('n1', [node('n1'), node('n2', state, availability)], 'n2');
      await expect(volumesNode(engine, volumes, 'shop')).rejects.toMatchObject({ code: 'VOLUME_NODE_UNAVAILABLE', message: expect.stringContaining(`(${state}, ${availability})`) });
    });
  }

  it('fails with VOLUME_NODE_UNAVAILABLE when this Docker is in no swarm, recording nothing', async () => {
    const { engine, volumes, pinned } = fakes(undefined, []);
    await expect(volumesNode(engine, volumes, 'shop')).rejects.toMatchObject({ code: 'VOLUME_NODE_UNAVAILABLE' });
    expect(pinned).toEqual([]);
  });
});

describe('assertMountsHere', () => {
  it('lets a plain container mount volumes of this node (or docker mode’s, which name none) and refuses another node’s', () => {
    expect(() => assertMountsHere([{ volume: 'v', target: '/d' }, { volume: 'w', target: '/e', node: { id: 'n1', local: true } }], 'run r1')).not.toThrow();
    expect(() => assertMountsHere([{ volume: 'v', target: '/d', node: { id: 'n2', local: false } }], 'run r1')).toThrow(
      expect.objectContaining({ code: 'VOLUME_NODE_UNAVAILABLE', message: expect.stringContaining('run r1 mounts the project\'s volumes, which are on node n2') }),
    );
  });
});
