import type Docker from 'dockerode';
import type { DomainStore } from '@berth/shared/domain-store';
import type { RoutingStore } from '@berth/shared/routing-store';
import { labels } from '@berth/shared/labels';
import type { RoutingState, RunningApp } from './caddy-config.ts';

/** The running apps of one installation and the address Caddy dials for each (before the routable filter). */
export type AppDiscovery = (options: { instance: string; network: string }) => Promise<RunningApp[]>;

/** Plain containers on this host's Docker: each container's IP on the app network. */
export function dockerDiscovery(docker: Docker): AppDiscovery {
  return async ({ instance, network }) => {
    const containers = await docker.listContainers({
      filters: { label: [`${labels.instance}=${instance}`], status: ['running'] },
    });
    return containers.flatMap((c) => {
      const ip = c.NetworkSettings?.Networks?.[network]?.IPAddress;
      return appFrom(c.Labels, ip);
    });
  };
}

/**
 * Swarm services, through the manager's API: an app is routed while at least
 * one of its tasks runs, to the service name (dnsrr: it resolves to every
 * running task on the service's network, so Caddy must be attached to that
 * network: `networks`, see caddy-networks.ts).
 */
export function swarmDiscovery(docker: Docker): AppDiscovery {
  return async ({ instance }) => {
    const [services, tasks, containers] = await Promise.all([
      docker.listServices({ filters: { label: [`${labels.instance}=${instance}`] } }) as Promise<Docker.Service[]>,
      docker.listTasks({ filters: { 'desired-state': ['running'] } }) as Promise<{ ServiceID?: string; Status?: { State?: string } }[]>,
      docker.listContainers({ filters: { label: [`${labels.instance}=${instance}`], status: ['running'] } }),
    ]);
    const live = new Set(tasks.filter((t) => t.Status?.State === 'running').map((t) => t.ServiceID));
    const fromServices = services.flatMap((s) => {
      if (!live.has(s.ID) || !s.Spec?.Name) return [];
      const networks = (s.Spec.TaskTemplate?.Networks ?? []).map((n) => n.Target).filter((t): t is string => Boolean(t));
      return appFrom(s.Spec.Labels ?? {}, s.Spec.Name).map((app) => ({ ...app, networks }));
    });
    return [...fromServices, ...containers.flatMap(dockerModeApp)];
  };
}

/**
 * A container docker mode started, once a swarm-mode worker has put it on an overlay of its own
 * (`<container>-net`, foreign-network.ts in the worker): reached by its name there, like a service.
 * Swarm's task containers are the services' (above).
 */
function dockerModeApp(c: Docker.ContainerInfo): RunningApp[] {
  const name = c.Names[0]?.replace(/^\//, '');
  if (!name || c.Labels['com.docker.swarm.task.id']) return [];
  const network = c.NetworkSettings?.Networks?.[`${name}-net`]?.NetworkID;
  return network ? appFrom(c.Labels, name).map((app) => ({ ...app, networks: [network] })) : [];
}

function appFrom(from: Record<string, string>, host: string | undefined): RunningApp[] {
  const deploymentId = from[labels.deployment];
  const project = from[labels.project];
  const port = from[labels.port];
  return deploymentId && project && port && host ? [{ deploymentId, project, upstream: `${host}:${port}` }] : [];
}

/** Reads the routing state: running apps (the discovery) + current deployments and custom domains (Postgres). */
export async function readRoutingState(
  discover: AppDiscovery,
  store: RoutingStore,
  options: { instance: string; network: string; domains: Pick<DomainStore, 'projectsByHostname'> },
): Promise<RoutingState> {
  const [running, current, domains, previews] = await Promise.all([
    discover(options),
    store.currentDeployments(),
    options.domains.projectsByHostname(),
    store.previews(),
  ]);
  // Only deployments that are meant to be reachable (`isRoutable`): a stopped one
  // loses its route at once, even before its container is gone.
  const routable = await store.routable(running.map((a) => a.deploymentId));
  const apps = running.filter((a) => routable.has(a.deploymentId));
  return { apps, current, domains, previews };
}
