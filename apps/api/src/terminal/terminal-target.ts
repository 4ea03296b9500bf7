import type Docker from 'dockerode';
import { containerName } from '@berth/shared/docker-names';
import { BerthError } from '@berth/shared/errors';
import type { ApiConfig } from '../config.ts';

/** The container a terminal opens in, and which replica that is. */
export interface TerminalTarget {
  container: Docker.Container;
  replica: number;
}

const serviceLabel = 'com.docker.swarm.service.name';
const taskLabel = 'com.docker.swarm.task.name'; // <service>.<slot>.<task id>

const unreachable = (err: unknown) => new BerthError('TERMINAL_UNAVAILABLE', `this API cannot reach Docker to open a terminal (${String(err)})`);

/**
 * Docker mode: the deployment's one container (replica 1). Swarm mode: a running task of its service
 * on this API's node, the replica asked for (its slot) or the lowest one here; a replica on another
 * node is refused (409 TERMINAL_ON_OTHER_NODE: Docker's exec reaches local containers only).
 */
export async function terminalTarget(docker: Docker, config: Pick<ApiConfig, 'BERTH_INSTANCE' | 'BERTH_RUNTIME'>, id: string, replica?: number): Promise<TerminalTarget> {
  const name = containerName(config.BERTH_INSTANCE, id);
  return config.BERTH_RUNTIME === 'swarm' ? swarmTask(docker, name, id, replica) : dockerContainer(docker, name, id, replica);
}

async function dockerContainer(docker: Docker, name: string, id: string, replica?: number): Promise<TerminalTarget> {
  if (replica !== undefined && replica !== 1) throw new BerthError('NOT_FOUND', `deployment ${id} has no replica ${replica} (docker mode runs one)`);
  const container = docker.getContainer(name);
  const state = await container.inspect().then(
    (info) => info.State,
    (err: { statusCode?: number }) => {
      if (err.statusCode === 404) return undefined;
      throw unreachable(err);
    },
  );
  if (!state?.Running) throw new BerthError('DEPLOYMENT_NOT_LIVE', `deployment ${id}'s container is not running (restarting, or gone)`);
  return { container, replica: 1 };
}

async function swarmTask(docker: Docker, service: string, id: string, replica?: number): Promise<TerminalTarget> {
  const here = await docker.listContainers({ filters: { label: [`${serviceLabel}=${service}`], status: ['running'] } }).catch((err: unknown) => {
    throw unreachable(err);
  });
  const slots = here.map((c) => ({ id: c.Id, slot: slotOf(c.Labels[taskLabel]) })).sort((a, b) => a.slot - b.slot);
  const chosen = replica === undefined ? slots[0] : slots.find((s) => s.slot === replica);
  if (chosen) return { container: docker.getContainer(chosen.id), replica: chosen.slot };
  const elsewhere = await runningSlots(docker, service);
  const wanted = replica === undefined ? elsewhere[0] : elsewhere.find((s) => s === replica);
  if (wanted !== undefined) {
    throw new BerthError('TERMINAL_ON_OTHER_NODE', `replica ${wanted} of deployment ${id} runs on another swarm node; a terminal reaches the tasks on the API's own node${slots.length ? '' : ' (none runs here)'}`);
  }
  if (replica !== undefined && elsewhere.length) throw new BerthError('NOT_FOUND', `deployment ${id} has no running replica ${replica}`);
  throw new BerthError('DEPLOYMENT_NOT_LIVE', `deployment ${id} has no running task (restarting, or gone)`);
}

/** The slots of the service's tasks that run now, on any node (none when the service is gone). */
async function runningSlots(docker: Docker, service: string): Promise<number[]> {
  const tasks = (await docker.listTasks({ filters: { service: [service], 'desired-state': ['running'] } }).catch((err: { statusCode?: number }) => {
    if (err.statusCode === 404) return [];
    throw unreachable(err);
  })) as { Slot?: number; Status?: { State?: string } }[];
  return tasks.filter((t) => t.Status?.State === 'running' && t.Slot !== undefined).map((t) => t.Slot!).sort((a, b) => a - b);
}

function slotOf(taskName: string | undefined): number {
  const slot = Number(taskName?.split('.')[1]);
  return Number.isInteger(slot) ? slot : Number.MAX_SAFE_INTEGER;
}
