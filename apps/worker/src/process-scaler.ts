import type Docker from 'dockerode';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import { isLive } from '@berth/shared/deployment-state';
import { containerName } from '@berth/shared/docker-names';
import type { Logger } from '@berth/shared/logger';
import type { ProjectStore } from '@berth/shared/project-store';
import { workerTypes } from '@berth/shared/process-types';
import type { VolumeMount } from './docker/volume-mount.ts';
import { statusCode } from './docker/docker-errors.ts';
import { stopContainer } from './docker/docker-containers.ts';
import { labels } from '@berth/shared/labels';
import { applyProcessCounts, type ProcessReleaseDeps } from './process-release.ts';

export interface ProcessScalerDeps extends ProcessReleaseDeps {
  store: Pick<DeploymentStore, 'get'>;
  projects: Pick<ProjectStore, 'get'>;
  logger: Logger;
}

/**
 * Docker mode: a project's process counts changed (PATCH /api/projects/:name { processes }, a `scale`
 * poke): its current release's process containers are made to match. The new ones take the web
 * container's image, env and volumes (what the release started with). One change per deployment at a
 * time here; another worker doing the same meanwhile finds the containers made (409) or gone (404).
 */
export class ProcessScaler {
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly deps: ProcessScalerDeps) {}

  poke(deploymentId: string): void {
    const next = (this.chains.get(deploymentId) ?? Promise.resolve())
      .then(() => this.apply(deploymentId))
      .catch((err: unknown) => this.deps.logger.warn({ err, deploymentId }, 'scaling processes failed'));
    this.chains.set(deploymentId, next);
    void next.finally(() => {
      if (this.chains.get(deploymentId) === next) this.chains.delete(deploymentId);
    });
  }

  async apply(deploymentId: string): Promise<void> {
    const { store, projects, docker, config, logger } = this.deps;
    const deployment = await store.get(deploymentId);
    if (!deployment || !isLive(deployment.status) || workerTypes(deployment.processes).length === 0) return;
    const project = await projects.get(deployment.project);
    if (project?.current_deployment_id !== deploymentId) return; // only what the project URL serves runs processes
    let web: Docker.ContainerInspectInfo;
    try {
      web = await docker.getContainer(containerName(config.BERTH_INSTANCE, deploymentId)).inspect();
    } catch (err) {
      if (statusCode(err) === 404) return; // on its way out
      throw err;
    }
    const env = Object.fromEntries((web.Config.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
    const mounts: VolumeMount[] = web.Mounts.flatMap((m) => (m.Type === 'volume' && m.Name ? [{ volume: m.Name, target: m.Destination }] : []));
    // Promoted by request (or rolled back to while it still ran): the project's other releases' processes stop first.
    const others = await this.otherProcesses(deployment.project, deploymentId);
    await Promise.all(others.map((name) => stopContainer(docker, name)));
    // The networks the web container joined besides the app network: its project's services'.
    const extraNetworks = Object.keys(web.NetworkSettings.Networks ?? {}).filter((n) => n !== config.network);
    const started = await applyProcessCounts(this.deps, deployment, { image: web.Config.Image, env, mounts, extraNetworks, counts: project.process_counts });
    logger.info({ deploymentId, counts: project.process_counts, stopped: others, started }, 'processes scaled');
  }

  /** Running process containers of the project's other deployments. */
  private async otherProcesses(project: string, deploymentId: string): Promise<string[]> {
    const { docker, config } = this.deps;
    const found = await docker.listContainers({ filters: { label: [`${labels.instance}=${config.BERTH_INSTANCE}`, `${labels.project}=${project}`, labels.process] } });
    return found.filter((c) => c.Labels[labels.deployment] !== deploymentId).map((c) => c.Names[0]?.replace(/^\//, '') ?? c.Id);
  }
}
