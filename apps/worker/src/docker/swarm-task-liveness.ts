import type Docker from 'dockerode';
import type { ReplicaProbe, ReplicaReplacement } from './container-runtime.ts';
import { statusCode, unavailable } from './docker-errors.ts';
import type { SwarmProber } from './swarm-prober.ts';
import { forceServiceUpdate } from './swarm-scale.ts';
import { isRunning, listTasks, liveNodeIds, taskAddress, type TaskInfo } from './swarm-tasks.ts';

// Swarm's side of the liveness watch (replica-liveness.ts decides): the tasks
// are probed from outside, through the worker's prober, since the image may
// hold nothing a health check could run inside it.

/**
 * Each running task of `service` asked `path` once through the prober: any
 * HTTP answer counts. Tasks on a node that is not ready are left out (Swarm
 * reschedules those itself once it marks the node down), so are tasks with
 * no address on the network (nothing to judge by).
 */
export async function probeTasks(
  engine: Docker,
  prober: SwarmProber,
  target: { service: string; network: string; port: number; path: string },
): Promise<ReplicaProbe[]> {
  const running = (await listTasks(engine, target.service)).filter((t) => isRunning(t) && t.DesiredState === 'running');
  if (running.length === 0) return [];
  const live = await liveNodeIds(engine);
  const probed = running.map(async (task): Promise<ReplicaProbe[]> => {
    const address = taskAddress(task, target.network);
    if (!task.ID || !address || (task.NodeID && !live.has(task.NodeID))) return [];
    const status = await prober.ask(target.network, address, target.port, target.path);
    return [{ id: task.ID, startedAt: task.Status?.Timestamp ?? '', answered: status !== undefined }];
  });
  return (await Promise.all(probed)).flat();
}

/**
 * Has Swarm replace one task that stopped answering. A task on this node:
 * its container is killed (SIGKILL: a process stopped or hung cannot ignore
 * it), the task fails and the restart policy starts a new one; the failure
 * shows as a crash of the deployment when it was its only task. A task on
 * another node (this worker reaches only its own Docker): the service is
 * force-updated, so Swarm replaces every task one at a time, each new one
 * started before the old one stops. A task no longer running is left alone.
 */
export async function replaceTask(engine: Docker, service: string, id: string, localNode: string | undefined): Promise<ReplicaReplacement> {
  let task: TaskInfo;
  try {
    task = (await engine.getTask(id).inspect()) as TaskInfo;
  } catch (err) {
    if (statusCode(err) === 404) return 'gone';
    throw unavailable(err, 'inspecting a task');
  }
  if (task.DesiredState !== 'running' || !isRunning(task)) return 'gone';
  const container = task.Status?.ContainerStatus?.ContainerID;
  if (container && localNode && task.NodeID === localNode) return killContainer(engine, container);
  await forceServiceUpdate(engine, service);
  return 'service updated';
}

async function killContainer(engine: Docker, id: string): Promise<ReplicaReplacement> {
  const container = engine.getContainer(id);
  try {
    await container.kill();
    return 'killed';
  } catch (err) {
    const code = statusCode(err);
    if (code === 404) return 'gone';
    // A paused container (`docker pause`) refuses signals on some engines: thawed, then killed.
    if (code === 409 && /paused/i.test((err as Error).message)) {
      await container.unpause().catch(() => {});
      await container.kill().catch(() => {});
      return 'killed';
    }
    if (code === 409) return 'gone'; // not running any more
    throw unavailable(err, 'killing a task that stopped answering');
  }
}

/** This engine's node in the swarm (undefined when it is not in one). */
export async function localNodeId(engine: Docker): Promise<string | undefined> {
  try {
    const info = (await engine.info()) as { Swarm?: { NodeID?: string } };
    return info.Swarm?.NodeID || undefined;
  } catch (err) {
    throw unavailable(err, 'reading the engine info');
  }
}
