import type Docker from 'dockerode';
import { statusCode, unavailable } from './docker-errors.ts';

/** The fields of a Swarm task Berth reads (the Engine API's Task). */
export interface TaskInfo {
  ID?: string;
  DesiredState?: string;
  NodeID?: string;
  Status?: { State?: string; Timestamp?: string; Err?: string; ContainerStatus?: { ExitCode?: number; ContainerID?: string } };
  NetworksAttachments?: { Network: { Spec: { Name: string } }; Addresses: string[] }[];
}

/** The fields of a Swarm node Berth reads. */
export interface NodeInfo {
  ID?: string;
  Status?: { State?: string };
  Spec?: { Availability?: string };
}

/**
 * Running: Swarm puts only these in the service's DNS answer. Berth's services have no health check of
 * Swarm's (swarm-service-spec.ts): whether a running task answers is the worker's probes' to judge.
 */
export const isRunning = (t: TaskInfo) => t.Status?.State === 'running';
/** The container runs but its health check has not passed yet (a service made with one: an older Berth's). */
export const isStarting = (t: TaskInfo) => t.Status?.State === 'starting';
/** A task whose container ran and ended (or whose node was lost): Swarm replaces it. */
export const hasExited = (t: TaskInfo) => ['failed', 'complete', 'orphaned'].includes(t.Status?.State ?? '');
/**
 * On its way to running: placed, being pulled, created, started but not healthy yet. A task a node
 * refused (`rejected`: no container ever ran there) is neither an exit nor a start: Swarm places another.
 */
export const isLaunching = (t: TaskInfo) =>
  t.DesiredState === 'running' && ['new', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting'].includes(t.Status?.State ?? '');

/** The service's tasks (none when it is gone). */
export async function listTasks(engine: Docker, service: string): Promise<TaskInfo[]> {
  try {
    return (await engine.listTasks({ filters: { service: [service] } })) as unknown as TaskInfo[];
  } catch (err) {
    if (statusCode(err) === 404) return [];
    throw unavailable(err, 'listing the service tasks');
  }
}

/** The task's address on `network`, without the prefix length. */
export function taskAddress(task: TaskInfo, network: string): string | undefined {
  const address = task.NetworksAttachments?.find((a) => a.Network.Spec.Name === network)?.Addresses[0];
  return address?.split('/')[0] || undefined;
}

export async function listNodes(engine: Docker): Promise<NodeInfo[]> {
  try {
    return await engine.listNodes();
  } catch (err) {
    throw unavailable(err, 'listing the swarm nodes');
  }
}

/** True when each node that can take tasks (ready, active) refused one of `rejected`. */
export async function everyNodeRefused(engine: Docker, rejected: TaskInfo[]): Promise<boolean> {
  const nodes = await listNodes(engine);
  const refused = new Set(rejected.map((t) => t.NodeID));
  return nodes.filter(takesTasks).every((n) => refused.has(n.ID));
}

/** A node Swarm places new tasks on: ready and active (not paused, not drained). */
export const takesTasks = (n: NodeInfo) => n.Status?.State === 'ready' && n.Spec?.Availability === 'active';

/** The nodes that are up (ready). */
export async function liveNodeIds(engine: Docker): Promise<Set<string>> {
  return new Set((await listNodes(engine)).flatMap((n) => (n.Status?.State === 'ready' && n.ID ? [n.ID] : [])));
}

/** Whether some of these tasks runs on a node that is up (a lost node's tasks stay "running" for long). */
export async function anyOnLiveNode(engine: Docker, tasks: TaskInfo[]): Promise<boolean> {
  const live = await liveNodeIds(engine);
  return tasks.some((t) => !t.NodeID || live.has(t.NodeID));
}
