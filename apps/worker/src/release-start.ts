import type Docker from 'dockerode';
import type { DeploymentRow } from '@berth/shared/db';
import { containerName, releaseContainerName, volumeName } from '@berth/shared/docker-names';
import { BerthError } from '@berth/shared/errors';
import { labels } from '@berth/shared/labels';
import { workerTypes } from '@berth/shared/process-types';
import type { ProjectStore } from '@berth/shared/project-store';
import type { ServiceStore } from '@berth/shared/service-store';
import type { VolumeStore } from '@berth/shared/volume-store';
import type { ProcessStore } from '@berth/shared/process-store';
import type { ReleaseConfig } from './build/release-config.ts';
import { startApp, type AppStartDeps } from './app-start.ts';
import { ensureIsolatedBridge } from './docker/bridge-network.ts';
import type { VolumeMount } from './docker/volume-mount.ts';
import { startContainerAgain, stopContainer } from './docker/docker-containers.ts';
import { ensureVolume } from './docker/docker-volumes.ts';
import { assertMountsHere, volumesNode } from './docker/swarm-volume-node.ts';
import { appLimits, runOnce } from './docker/run-once.ts';
import type { LogSink } from './log-sink.ts';
import { replaceProcesses, type ProcessReleaseDeps } from './process-release.ts';
import { serviceLinks } from './services/service-links.ts';

export interface ReleaseStartDeps extends AppStartDeps, ProcessReleaseDeps {
  /** This node's Docker: volumes, the release command's container, stop-first (docker mode's one engine). */
  docker: Docker;
  projects: Pick<ProjectStore, 'get'>;
  volumes: Pick<VolumeStore, 'forProject' | 'pinToNode'>;
  processStore: Pick<ProcessStore, 'setProcesses'>;
  services: Pick<ServiceStore, 'forProject' | 'password'>;
}

/**
 * The pipeline's step from a built image to a started release: the project's volumes (production
 * releases only; previews get none), its release command (new production builds only: not a
 * rollback, not a preview), then the app, stop-first when the project asks for it. All of them get the
 * project's services (a URL each in the env, the project's network; the project's own env wins). The project URL
 * has not moved yet: a failure here leaves the old release serving (stop-first starts it again).
 */
export async function startRelease(
  deps: ReleaseStartDeps,
  deployment: DeploymentRow,
  image: string,
  asked: ReleaseConfig,
  log: LogSink,
  signal: AbortSignal,
): Promise<string> {
  // Recorded for the views, a rollback to this release and scaling; the web process's command among them.
  const withTypes = { ...deployment, processes: asked.processes ?? null };
  await deps.processStore.setProcesses(deployment.id, withTypes.processes);
  return startProcesses(deps, withTypes, image, asked.release, log, signal);
}

async function startProcesses(
  deps: ReleaseStartDeps,
  unlinked: DeploymentRow,
  image: string,
  sourceCommand: string | undefined,
  log: LogSink,
  signal: AbortSignal,
): Promise<string> {
  const links = await serviceLinks(deps, unlinked, log);
  const deployment = { ...unlinked, env: { ...links.env, ...unlinked.env } };
  const project = await deps.projects.get(deployment.project);
  const production = deployment.promote;
  const mounts = production || project?.preview_volumes ? await projectMounts(deps, deployment, log) : [];
  const docker = deps.config.BERTH_RUNTIME === 'docker';
  if (production && !docker && workerTypes(deployment.processes).length > 0) {
    throw new BerthError('NEEDS_DOCKER_RUNTIME', `processes besides web (${workerTypes(deployment.processes).join(', ')}) need BERTH_RUNTIME=docker: swarm mode runs the web process only`);
  }
  const command = production && !deployment.release_of ? (project?.release_command ?? sourceCommand) : undefined;
  if (command) await runReleaseCommand(deps, deployment, image, { command, mounts, networks: links.networks }, log, signal);
  // The web container answers first; then (production, docker mode) the old release's processes stop and this one's start.
  const start = async () => {
    const containerId = await startApp(deps, deployment, image, log, signal, mounts, links.networks);
    if (production && docker) {
      await replaceProcesses(deps, deployment, { image, env: { ...deployment.env, PORT: String(deployment.port) }, mounts, extraNetworks: links.networks, counts: project?.process_counts ?? {} }, project?.current_deployment_id, log, signal);
    }
    return containerId;
  };
  const stopFirst = production && project?.deploy_strategy === 'stop-first' && docker;
  const old = stopFirst ? project?.current_deployment_id : null;
  if (!old || old === deployment.id) return start();
  const oldName = containerName(deps.config.BERTH_INSTANCE, old);
  const stopped = await stopContainer(deps.docker, oldName);
  if (stopped) log.system(`stop-first: stopped release ${old} before starting this one (the project is down until this one answers)`);
  try {
    return await start();
  } catch (err) {
    if (stopped) {
      log.system(`starting release ${old} again`);
      await startContainerAgain(deps.docker, oldName).catch((again: unknown) => log.system(`could not start ${old} again: ${String(again)}`));
    }
    throw err;
  }
}

/**
 * The project's volumes (a preview: its own of each, empty at first), made in Docker if they are new. Runs mount the current release's.
 * Swarm mode: each carries the node holding the project's volumes (recorded on first use: this worker's); made here only on this node.
 */
export async function projectMounts(deps: Pick<ReleaseStartDeps, 'config' | 'docker' | 'volumes'>, deployment: DeploymentRow, log: LogSink): Promise<VolumeMount[]> {
  const project = deployment.project;
  const rows = await deps.volumes.forProject(project);
  if (rows.length === 0) return [];
  const node = deps.config.BERTH_RUNTIME === 'swarm' ? await volumesNode(deps.docker, deps.volumes, project) : undefined;
  const instance = deps.config.BERTH_INSTANCE;
  const mounts: VolumeMount[] = [];
  const preview: Record<string, string> = deployment.promote ? {} : { [labels.volumePreview]: deployment.id };
  for (const row of rows) {
    const volume = volumeName(instance, deployment.promote ? row.id : `${row.id}-${deployment.id}`);
    const volumeLabels = { [labels.instance]: instance, [labels.project]: project, [labels.volume]: row.name, [labels.volumeId]: row.id, ...preview };
    if (!node || node.local) await ensureVolume(deps.docker, volume, volumeLabels);
    mounts.push({ volume, target: row.mount_path, ...(node ? { labels: volumeLabels, node } : {}) });
  }
  const where = node ? ` (on node ${node.id})` : '';
  log.system(`volumes${deployment.promote ? '' : " (this preview's own)"}${where}: ${rows.map((r) => `${r.name} at ${r.mount_path}`).join(', ')}`);
  return mounts;
}

/** Runs the release command once in the new image; RELEASE_COMMAND_FAILED on a non-zero exit or past RELEASE_TIMEOUT_MS. */
async function runReleaseCommand(
  { config, docker }: ReleaseStartDeps,
  deployment: DeploymentRow,
  image: string,
  { command, mounts, networks }: { command: string; mounts: VolumeMount[]; networks: string[] },
  log: LogSink,
  signal: AbortSignal,
): Promise<void> {
  assertMountsHere(mounts, 'the release command');
  log.system(`running the release command: ${command}`);
  await log.flush();
  // The app network (docker mode's shared isolated bridge; made on this node in swarm mode too).
  await ensureIsolatedBridge(docker, config.network);
  const started = Date.now();
  const { exitCode, timedOut } = await runOnce(docker, {
    name: releaseContainerName(config.BERTH_INSTANCE, deployment.id),
    image,
    command,
    env: { ...deployment.env, PORT: String(deployment.port) },
    labels: { [labels.instance]: config.BERTH_INSTANCE, [labels.project]: deployment.project, [labels.releaseCommand]: deployment.id },
    mounts,
    ...appLimits(config),
    extraNetworks: networks,
    timeoutMs: config.RELEASE_TIMEOUT_MS,
    signal,
    onLine: (l) => log.write('build', l.line, l.ts, l.continues === undefined ? undefined : { source: `release-${l.source ?? 'stdout'}`, continues: l.continues }),
  });
  if (timedOut) throw new BerthError('RELEASE_COMMAND_FAILED', `the release command did not finish within ${config.RELEASE_TIMEOUT_MS} ms (RELEASE_TIMEOUT_MS); the old release keeps serving`);
  if (exitCode !== 0) throw new BerthError('RELEASE_COMMAND_FAILED', `the release command exited with code ${exitCode}; the old release keeps serving`);
  log.system(`release command finished in ${Date.now() - started} ms`);
}
