import type Docker from 'dockerode';
import type { DeploymentRow } from '@berth/shared/db';
import { processContainerName } from '@berth/shared/docker-names';
import { BerthError } from '@berth/shared/errors';
import { processCount, workerTypes } from '@berth/shared/process-types';
import type { WorkerConfig } from './config.ts';
import type { ContainerRuntime } from './docker/container-runtime.ts';
import { removeContainer, startContainerAgain } from './docker/docker-containers.ts';
import { listProcesses, startProcess, stopProcesses, type ProcessOptions } from './docker/process-containers.ts';
import type { LogSink } from './log-sink.ts';

export interface ProcessReleaseDeps {
  config: WorkerConfig;
  docker: Docker;
  runtime: ContainerRuntime;
}

/** What a release's processes besides web start with (the web container's image, opened env and volumes). */
export type ProcessInputs = Pick<ProcessOptions, 'image' | 'env' | 'mounts' | 'extraNetworks'> & { counts: Record<string, number> };

/**
 * A production release's processes besides web, after its web container answers: the old release's
 * stop first (two versions never consume the same queue), then this one's start at the project's
 * counts and must stay up for PROCESS_SETTLE_MS. On failure this one's go and the old ones start again.
 */
export async function replaceProcesses(
  deps: ProcessReleaseDeps,
  deployment: DeploymentRow,
  inputs: ProcessInputs,
  oldId: string | null | undefined,
  log: LogSink,
  signal: AbortSignal,
): Promise<void> {
  const { config, docker } = deps;
  const old = oldId && oldId !== deployment.id ? await stopProcesses(docker, config.BERTH_INSTANCE, oldId) : [];
  if (old.length) log.system(`stopped the processes of release ${oldId} first: ${old.join(', ')}`);
  try {
    const started = await applyProcessCounts(deps, deployment, inputs);
    if (started.length) log.system(`processes started: ${started.join(', ')}; they must stay up for ${config.PROCESS_SETTLE_MS} ms`);
    await settle(deps, started, log, signal);
  } catch (err) {
    await Promise.all((await listProcesses(docker, config.BERTH_INSTANCE, deployment.id)).map((p) => removeContainer(docker, p.name))).catch(() => {});
    if (old.length) {
      log.system(`starting the processes of release ${oldId} again`);
      await Promise.all(old.map((name) => startContainerAgain(docker, name))).catch((again: unknown) => log.system(`could not start them again: ${String(again)}`));
    }
    throw err;
  }
}

/**
 * Makes the deployment's process containers match its types and the project's counts: extra ones
 * removed, missing ones started. Returns the names started.
 */
export async function applyProcessCounts({ config, docker }: ProcessReleaseDeps, deployment: DeploymentRow, inputs: ProcessInputs): Promise<string[]> {
  const instance = config.BERTH_INSTANCE;
  const wanted = workerTypes(deployment.processes).flatMap((type) =>
    Array.from({ length: processCount(inputs.counts, type) }, (_, i) => ({ type, index: i + 1, name: processContainerName(instance, deployment.id, type, i + 1) })),
  );
  const existing = await listProcesses(docker, instance, deployment.id);
  for (const p of existing) if (!wanted.some((w) => w.name === p.name)) await removeContainer(docker, p.name);
  const options: ProcessOptions = {
    ...inputs,
    instance,
    deploymentId: deployment.id,
    project: deployment.project,
    network: config.network,
    memoryBytes: config.CONTAINER_MEMORY_MB * 1024 * 1024,
    nanoCpus: Math.round(config.CONTAINER_CPUS * 1e9),
  };
  const missing = wanted.filter((w) => !existing.some((p) => p.name === w.name && p.running));
  for (const w of missing) await startProcess(docker, options, w.type, w.index, deployment.processes![w.type]!);
  return missing.map((w) => w.name);
}

/** Waits PROCESS_SETTLE_MS; a process that exits (or is restarted) meanwhile fails with PROCESS_EXITED, its output in the log. */
async function settle({ config, runtime }: ProcessReleaseDeps, names: string[], log: LogSink, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + config.PROCESS_SETTLE_MS;
  while (names.length) {
    signal.throwIfAborted();
    for (const name of names) {
      const state = await runtime.inspect(name);
      if (state && state.running && !state.restarting && state.restartCount === 0) continue;
      const lines = await runtime.tailLogs(name, 50).catch(() => []);
      log.system(lines.length ? `last ${lines.length} lines of ${name}:` : `${name} printed nothing`);
      for (const line of lines) log.write('runtime', line);
      throw new BerthError('PROCESS_EXITED', `process ${name} exited (code ${state?.exitCode ?? 'unknown'}) within ${config.PROCESS_SETTLE_MS} ms instead of staying up`);
    }
    if (Date.now() >= deadline) return;
    await new Promise((r) => setTimeout(r, Math.min(250, Math.max(0, deadline - Date.now()))));
  }
}
