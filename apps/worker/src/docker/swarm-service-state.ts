import type Docker from 'dockerode';
import { labels } from '@berth/shared/labels';
import type { AppNetwork, ContainerState, OwnedContainer } from './container-runtime.ts';
import { statusCode, unavailable } from './docker-errors.ts';
import { serviceOfNetwork } from './swarm-service-spec.ts';
import { hasExited, isLaunching, isRunning, listTasks } from './swarm-tasks.ts';

/**
 * Berth's view of a service: `running` while a task is running (healthy);
 * `starting` (not running, not restarting) while the first task is on its
 * way (placed, pulled, started, health check not passed yet; a task a node
 * refused does not count: Swarm places another); restarting while none
 * runs and one has exited.
 */
export async function inspectService(engine: Docker, name: string): Promise<ContainerState | undefined> {
  let service: Docker.Service;
  try {
    service = (await engine.getService(name).inspect()) as Docker.Service;
  } catch (err) {
    if (statusCode(err) === 404) return undefined;
    throw unavailable(err, 'inspecting the service');
  }
  const tasks = await listTasks(engine, name);
  const running = tasks.filter(isRunning);
  const exited = tasks.filter(hasExited).sort((a, b) => (b.Status?.Timestamp ?? '').localeCompare(a.Status?.Timestamp ?? ''));
  const starting = running.length === 0 && exited.length === 0 && tasks.some(isLaunching);
  const started = running.map((t) => t.Status?.Timestamp ?? '').sort();
  return {
    running: running.length > 0,
    restarting: running.length === 0 && exited.length > 0,
    restartCount: exited.length,
    exitCode: exited[0]?.Status?.ContainerStatus?.ExitCode ?? 0,
    status: running.length > 0 ? 'running' : starting ? 'starting' : 'restarting',
    startedAt: started[0] ?? service.CreatedAt ?? '',
  };
}

/** This installation's services, running when one of their tasks runs. */
export async function listOwnedServices(engine: Docker, instance: string): Promise<OwnedContainer[]> {
  try {
    const services = (await engine.listServices({ filters: { label: [`${labels.instance}=${instance}`] } })) as Docker.Service[];
    const owned = await Promise.all(
      services.map(async (s) => {
        const name = s.Spec?.Name;
        const deploymentId = s.Spec?.Labels?.[labels.deployment];
        if (!name || !deploymentId) return [];
        const running = (await listTasks(engine, name)).some(isRunning);
        return [{ name, deploymentId, running }];
      }),
    );
    return owned.flat();
  } catch (err) {
    throw unavailable(err, 'listing services');
  }
}

/** The newest task container of the service on this node (logs are read from it). */
export async function localTaskContainer(engine: Docker, service: string, prefer: 'running' | 'exited'): Promise<string | undefined> {
  try {
    const containers = await engine.listContainers({ all: true, filters: { label: [`com.docker.swarm.service.name=${service}`] } });
    const ended = (c: Docker.ContainerInfo) => c.State === 'exited' || c.State === 'dead';
    const rank = (c: Docker.ContainerInfo) => ((prefer === 'running' ? c.State === 'running' : ended(c)) ? 1 : 0);
    const newest = containers.sort((a, b) => rank(b) - rank(a) || b.Created - a.Created);
    return newest[0]?.Id;
  } catch (err) {
    throw unavailable(err, 'listing the service containers');
  }
}

/** The networks of this installation's deployments (each service's own), whether or not their service is still there. */
export async function listServiceNetworks(engine: Docker, instance: string): Promise<AppNetwork[]> {
  try {
    const networks = await engine.listNetworks({ filters: { label: [`${labels.instance}=${instance}`, labels.deployment] } });
    return networks.flatMap((n) => {
      const deploymentId = n.Labels?.[labels.deployment];
      const service = serviceOfNetwork(n.Name);
      return deploymentId && service ? [{ deploymentId, service }] : [];
    });
  } catch (err) {
    throw unavailable(err, 'listing the app networks');
  }
}
