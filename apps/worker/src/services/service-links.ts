import type Docker from 'dockerode';
import type { DeploymentRow } from '@berth/shared/db';
import { projectNetworkName } from '@berth/shared/docker-names';
import { BerthError } from '@berth/shared/errors';
import { labels } from '@berth/shared/labels';
import { serviceKinds } from '@berth/shared/service-kinds';
import type { ServiceStore } from '@berth/shared/service-store';
import type { WorkerConfig } from '../config.ts';
import { ensureProjectNetwork } from '../docker/docker-services.ts';
import type { LogSink } from '../log-sink.ts';

export interface ServiceLinkDeps {
  config: Pick<WorkerConfig, 'BERTH_INSTANCE' | 'BERTH_RUNTIME'>;
  docker: Docker;
  services: Pick<ServiceStore, 'forProject' | 'password'>;
}

/** What a release gets of its project's services: a URL for each in its env, and the project's network to reach them on. */
export interface ServiceLinks {
  env: Record<string, string>;
  networks: string[];
}

/**
 * The project's services a release connects to: every one for a production release, only those
 * with `previews` for a preview. Each gives its URL (to its name on the project's network) in its
 * variable (DATABASE_URL, REDIS_URL or its envName).
 */
export async function serviceLinks(deps: ServiceLinkDeps, deployment: DeploymentRow, log: LogSink): Promise<ServiceLinks> {
  const rows = (await deps.services.forProject(deployment.project)).filter((r) => deployment.promote || r.previews);
  if (rows.length === 0) return { env: {}, networks: [] };
  const { BERTH_INSTANCE: instance, BERTH_RUNTIME: runtime } = deps.config;
  if (runtime !== 'docker') throw new BerthError('NEEDS_DOCKER_RUNTIME', `project ${deployment.project} has services, which need BERTH_RUNTIME=docker`);
  const network = projectNetworkName(instance, deployment.project);
  await ensureProjectNetwork(deps.docker, network, { [labels.instance]: instance, [labels.projectNetwork]: deployment.project });
  const env: Record<string, string> = {};
  for (const row of rows) env[row.env_name] = serviceKinds[row.type].url(row.name, deps.services.password(row));
  log.system(`services: ${rows.map((r) => `${r.name} (${r.type}) in ${r.env_name}`).join(', ')}`);
  return { env, networks: [network] };
}
