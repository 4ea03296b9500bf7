import type Docker from 'dockerode';
import type { DomainStore } from '@berth/shared/domain-store';
import type { RoutingStore } from '@berth/shared/routing-store';
import { labels } from '@berth/shared/labels';
import type { RoutingState, RunningApp } from './caddy-config.ts';

/** Reads the routing state: running, labelled containers (Docker) + current deployments and custom domains (Postgres). */
export async function readRoutingState(
  docker: Docker,
  store: RoutingStore,
  options: { instance: string; network: string; domains: Pick<DomainStore, 'projectsByHostname'> },
): Promise<RoutingState> {
  const [containers, current, domains, previews] = await Promise.all([
    docker.listContainers({
      filters: { label: [`${labels.instance}=${options.instance}`], status: ['running'] },
    }),
    store.currentDeployments(),
    options.domains.projectsByHostname(),
    store.previews(),
  ]);
  // Only deployments that are meant to be reachable (`isRoutable`): a stopped one
  // loses its route at once, even before its container is gone.
  const routable = await store.routable(containers.flatMap((c) => c.Labels[labels.deployment] ?? []));
  const apps: RunningApp[] = [];
  for (const c of containers) {
    const deploymentId = c.Labels[labels.deployment];
    const project = c.Labels[labels.project];
    const port = c.Labels[labels.port];
    const ip = c.NetworkSettings?.Networks?.[options.network]?.IPAddress;
    if (!deploymentId || !project || !port || !ip) continue;
    if (!routable.has(deploymentId)) continue;
    apps.push({ deploymentId, project, upstream: `${ip}:${port}` });
  }
  return { apps, current, domains, previews };
}
