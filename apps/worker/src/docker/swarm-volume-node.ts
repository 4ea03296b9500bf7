import type Docker from 'dockerode';
import { BerthError } from '@berth/shared/errors';
import type { VolumeStore } from '@berth/shared/volume-store';
import type { VolumeMount, VolumeNode } from './volume-mount.ts';
import { listNodes, takesTasks } from './swarm-tasks.ts';
import { localNodeId } from './swarm-task-liveness.ts';

/**
 * Swarm mode: a project's volumes are local volumes on one node, and its tasks are placed there
 * (swarm-service-spec.ts). The node is recorded when a release first mounts them: this worker's
 * (its Docker makes them). A recorded node that is gone from the swarm, down, paused or drained
 * could run none of its tasks: VOLUME_NODE_UNAVAILABLE, before anything starts.
 */
export async function volumesNode(engine: Docker, volumes: Pick<VolumeStore, 'pinToNode'>, project: string): Promise<VolumeNode | undefined> {
  const here = await localNodeId(engine);
  if (!here) throw new BerthError('VOLUME_NODE_UNAVAILABLE', `project ${project} has volumes, and this worker's Docker is in no swarm: its node cannot be recorded`);
  const id = await volumes.pinToNode(project, here);
  if (id === undefined) return undefined;
  const node = (await listNodes(engine)).find((n) => n.ID === id);
  if (!node) {
    throw new BerthError('VOLUME_NODE_UNAVAILABLE', `the volumes of project ${project} are on node ${id}, which is no longer in the swarm; their data is there only (restore it elsewhere, or delete the volumes to start empty)`);
  }
  if (!takesTasks(node)) {
    const why = `${node.Status?.State ?? 'unknown'}, ${node.Spec?.Availability ?? 'unknown'}`;
    throw new BerthError('VOLUME_NODE_UNAVAILABLE', `the volumes of project ${project} are on node ${id}, which takes no tasks now (${why}); bring it back (ready, active) and deploy again`);
  }
  return { id, local: id === here };
}

/**
 * A plain container of this worker's (a release command, a run) can mount the volumes only when
 * they are on this node: VOLUME_NODE_UNAVAILABLE otherwise, saying which node holds them.
 */
export function assertMountsHere(mounts: readonly VolumeMount[], what: string): void {
  const elsewhere = mounts.find((m) => m.node && !m.node.local);
  if (elsewhere) {
    throw new BerthError('VOLUME_NODE_UNAVAILABLE', `${what} mounts the project's volumes, which are on node ${elsewhere.node!.id}; run a worker there (this one runs on another node)`);
  }
}
