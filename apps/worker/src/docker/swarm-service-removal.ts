import { setTimeout as delay } from 'node:timers/promises';
import type Docker from 'dockerode';
import { BerthError } from '@berth/shared/errors';
import { networkGone, statusCode, unavailable } from './docker-errors.ts';
import { serviceNetworkName } from './swarm-service-spec.ts';
import { scaleService } from './swarm-scale.ts';
import { anyOnLiveNode, isRunning, isStarting, listTasks } from './swarm-tasks.ts';

export interface RemovalTimeouts {
  /** How long the service's tasks may take to stop (scaled to 0) before the service is removed anyway. */
  drainTimeoutMs?: number;
  /** How long to wait for the tasks to leave the service's network before giving up on removing that (the reaper tries again). */
  networkRemovalTimeoutMs?: number;
}

/**
 * Drains the service, removes it, then its network (the one place all three happen: every removal
 * path comes here). Caddy stays on the network until the tasks have stopped: a request it forwarded
 * just before its route went is answered by the app, and the app's exit closes Caddy's connections
 * to it. Cut off from the network first, Caddy would wait on those connections forever.
 */
export async function removeService(engine: Docker, name: string, timeouts: RemovalTimeouts): Promise<void> {
  await drainService(engine, name, timeouts.drainTimeoutMs ?? 20_000);
  try {
    await engine.getService(name).remove();
  } catch (err) {
    if (statusCode(err) !== 404) throw unavailable(err, 'removing the service');
  }
  await removeServiceNetwork(engine, serviceNetworkName(name), timeouts.networkRemovalTimeoutMs ?? 30_000);
}

/**
 * Scales the service to 0 and waits (up to timeoutMs) until none of its tasks is still up:
 * each node takes a task out of the service's DNS answer, waits for that to spread, then stops
 * its container (SIGTERM, the app's own grace). Removing the service would do the same, but its
 * tasks then leave the manager's view at once and nothing shows when they are done. Only tasks
 * whose container was started are waited for, and not those on a node that is down.
 */
async function drainService(engine: Docker, name: string, timeoutMs: number): Promise<void> {
  try {
    await scaleService(engine, name, 0);
  } catch (err) {
    if (err instanceof BerthError && err.code === 'NOT_FOUND') return;
    throw err;
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const up = (await listTasks(engine, name)).filter((t) => isRunning(t) || isStarting(t)); // a container that may hold connections
    if (up.length === 0 || !(await anyOnLiveNode(engine, up))) return;
    if (Date.now() >= deadline) return; // removal stops them anyway; Caddy may lose answers in flight
    await delay(100);
  }
}

/**
 * Removes a service's network and waits until this node has let go of it
 * too: the manager may accept the removal while the service's tasks are
 * still stopping here (the node keeps its copy until they are gone), or
 * refuse it for a moment. Caddy and probers attached to it are disconnected
 * first: router-sync drops the route with the service, and does not connect
 * Caddy to a network no service uses. Gone is done.
 */
async function removeServiceNetwork(engine: Docker, network: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let info: Docker.NetworkInspectInfo;
    try {
      info = (await engine.getNetwork(network).inspect()) as Docker.NetworkInspectInfo;
    } catch (err) {
      if (statusCode(err) === 404) return;
      throw unavailable(err, `inspecting the network ${network}`);
    }
    for (const container of Object.keys(info.Containers ?? {})) {
      await engine.getNetwork(network).disconnect({ Container: container, Force: true }).catch(() => {});
    }
    try {
      await engine.getNetwork(network).remove();
    } catch (err) {
      // Gone for the manager, not yet for this node; 403 "has active endpoints" (its tasks are
      // stopping) or 409 while Docker is still tearing one down: look again.
      const code = statusCode(err);
      if (!networkGone(err) && code !== 403 && code !== 409) throw unavailable(err, `removing the network ${network}`);
    }
    if (Date.now() >= deadline) throw new BerthError('DOCKER_UNAVAILABLE', `the network ${network} was still there ${timeoutMs} ms after its service was removed`);
    await delay(250);
  }
}
