import type Docker from 'dockerode';
import { labels } from '@berth/shared/labels';
import { removeDuplicateNetworks } from './bridge-network.ts';
import { statusCode, unavailable } from './docker-errors.ts';

/** Docker's side of managed services (issue 29): a project's own network, each service's container. */

/**
 * A project's own network: its services and its apps' containers, and nothing else. Internal (no
 * route out, nothing published): other projects' apps, builds (berth-builds) and the host's public
 * addresses have no way in. Containers on it reach each other (a service by its name: an alias).
 */
export async function ensureProjectNetwork(docker: Docker, name: string, networkLabels: Record<string, string>): Promise<void> {
  try {
    await docker.getNetwork(name).inspect();
    return;
  } catch (err) {
    if (statusCode(err) !== 404) {
      if (statusCode(err) === 400) return removeDuplicateNetworks(docker, name);
      throw unavailable(err, `inspecting network ${name}`);
    }
  }
  try {
    await docker.createNetwork({ Name: name, Driver: 'bridge', Internal: true, CheckDuplicate: true, Labels: networkLabels });
  } catch (err) {
    if (statusCode(err) !== 409) throw unavailable(err, `creating network ${name}`);
  }
  // CheckDuplicate is best effort: two workers creating at once can both succeed.
  await removeDuplicateNetworks(docker, name);
}

/** The project networks of this installation: network name → project. */
export async function listProjectNetworks(docker: Docker, instance: string): Promise<Map<string, string>> {
  try {
    const listed = await docker.listNetworks({ filters: { label: [`${labels.instance}=${instance}`, labels.projectNetwork] } });
    return new Map(listed.map((n) => [n.Name, n.Labels?.[labels.projectNetwork] ?? '']));
  } catch (err) {
    throw unavailable(err, 'listing project networks');
  }
}

/** Removes a network unless a container is still on it (then it stays: false). */
export async function removeNetworkIfIdle(docker: Docker, name: string): Promise<boolean> {
  try {
    await docker.getNetwork(name).remove();
    return true;
  } catch (err) {
    const code = statusCode(err);
    if (code === 404) return true;
    if (code === 403 || code === 409) return false;
    throw unavailable(err, `removing network ${name}`);
  }
}

/** Attaches a created container to more networks before it starts (an app to its project's). */
export async function connectNetworks(docker: Docker, containerId: string, networks: readonly string[]): Promise<void> {
  for (const network of networks) {
    try {
      await docker.getNetwork(network).connect({ Container: containerId });
    } catch (err) {
      throw unavailable(err, `connecting to network ${network}`);
    }
  }
}

export interface ServiceContainer {
  name: string;
  serviceId: string;
}

/** Every service container of this installation (running or not). */
export async function listServiceContainers(docker: Docker, instance: string): Promise<ServiceContainer[]> {
  try {
    const listed = await docker.listContainers({ all: true, filters: { label: [`${labels.instance}=${instance}`, labels.serviceId] } });
    return listed.flatMap((c) => {
      const name = c.Names[0]?.replace(/^\//, '');
      const serviceId = c.Labels[labels.serviceId];
      return name && serviceId ? [{ name, serviceId }] : [];
    });
  } catch (err) {
    throw unavailable(err, 'listing service containers');
  }
}

/** A service container as Docker sees it; undefined when there is none. */
export interface ServiceContainerState {
  /** running (and healthy), starting, unhealthy, restarting, stopped. */
  status: string;
  message: string | null;
  restarts: number;
}

export async function inspectServiceContainer(docker: Docker, name: string): Promise<ServiceContainerState | undefined> {
  let info: Docker.ContainerInspectInfo;
  try {
    info = await docker.getContainer(name).inspect();
  } catch (err) {
    if (statusCode(err) === 404) return undefined;
    throw unavailable(err, `inspecting ${name}`);
  }
  const { State } = info;
  const health = State.Health?.Status;
  const lastCheck = State.Health?.Log?.at(-1)?.Output?.trim().slice(0, 300) || null;
  const restarts = info.RestartCount;
  if (State.Restarting) return { status: 'restarting', message: State.Error || `exited with code ${State.ExitCode}`, restarts };
  if (!State.Running) return { status: 'stopped', message: State.Error || `exited with code ${State.ExitCode}`, restarts };
  if (health === 'healthy' || health === undefined) return { status: 'running', message: null, restarts };
  if (health === 'unhealthy') return { status: 'unhealthy', message: lastCheck, restarts };
  return { status: 'starting', message: null, restarts };
}

/** Creates the container (a name taken meanwhile by another worker is theirs to start: fine) and starts it. */
export async function createAndStart(docker: Docker, spec: Docker.ContainerCreateOptions): Promise<void> {
  try {
    await docker.createContainer(spec);
  } catch (err) {
    if (statusCode(err) !== 409) throw unavailable(err, `creating ${spec.name}`);
  }
  await startIfStopped(docker, spec.name!);
}

export async function startIfStopped(docker: Docker, name: string): Promise<void> {
  try {
    await docker.getContainer(name).start();
  } catch (err) {
    if (statusCode(err) !== 304) throw unavailable(err, `starting ${name}`);
  }
}
