import type { DeploymentRow } from '@berth/shared/db';
import { containerName } from '@berth/shared/docker-names';
import { BerthError } from '@berth/shared/errors';
import { labels } from '@berth/shared/labels';
import type { WorkerConfig } from './config.ts';
import type { ContainerRuntime } from './docker/container-runtime.ts';
import type { VolumeMount } from './docker/volume-mount.ts';
import type { LogSink } from './log-sink.ts';

export interface AppStartDeps {
  config: WorkerConfig;
  runtime: ContainerRuntime;
}

/** Starts a deployment's container from its image and waits until it answers; returns the container's id. */
export async function startApp(
  { config, runtime }: AppStartDeps,
  deployment: DeploymentRow,
  image: string,
  log: LogSink,
  signal: AbortSignal,
  mounts: VolumeMount[] = [],
  /** More networks than the app network: its project's (its services). */
  extraNetworks: string[] = [],
): Promise<string> {
  const name = containerName(config.BERTH_INSTANCE, deployment.id);
  const owner = { [labels.instance]: config.BERTH_INSTANCE, [labels.deployment]: deployment.id };
  await runtime.ensureNetwork(config.network);
  const { id: containerId, ip } = await runtime.runContainer({
    name,
    image,
    env: { ...deployment.env, PORT: String(deployment.port) },
    labels: { ...owner, [labels.project]: deployment.project, [labels.port]: String(deployment.port) },
    port: deployment.port,
    network: config.network,
    memoryBytes: config.CONTAINER_MEMORY_MB * 1024 * 1024,
    nanoCpus: Math.round(config.CONTAINER_CPUS * 1e9),
    // As many copies as the row asks for now; a later change is the replica reconciler's to apply.
    replicas: deployment.replicas,
    mounts,
    extraNetworks,
    ...(deployment.processes?.web ? { command: deployment.processes.web } : {}),
  });
  log.system(`container started; waiting for it to answer ${deployment.health_path} on port ${deployment.port}`);
  try {
    await waitUntilAnswering(
      { runtime, timeoutMs: config.HEALTHCHECK_TIMEOUT_MS },
      { name, ip, port: deployment.port, path: deployment.health_path },
      signal,
      log,
    );
  } catch (err) {
    // The failure is what counts; the clean-up that follows removes the network (and the prober from it) anyway.
    await runtime.endProbes(name).catch(() => {});
    throw err;
  }
  // Swarm: the prober leaves the live app's network now (it could dial the app otherwise).
  await runtime.endProbes(name);
  return containerId;
}

/**
 * Waits until a started container answers HTTP on its port. Fails with
 * APP_EXITED when the app stops (or was restarted by its policy) and with
 * HEALTHCHECK_TIMEOUT when it never answers; either way its last output is
 * copied into the deployment's log first.
 */
async function waitUntilAnswering(
  { runtime, timeoutMs }: { runtime: ContainerRuntime; timeoutMs: number },
  container: { name: string; ip: string; port: number; path: string },
  signal: AbortSignal,
  log: LogSink,
): Promise<void> {
  const { name, ip, port, path } = container;
  const deadline = Date.now() + timeoutMs;
  let delay = 25;
  for (let attempt = 0; ; attempt++) {
    signal.throwIfAborted();
    if (await runtime.probeApp({ name, ip, port, path })) return;
    const timedOut = Date.now() >= deadline;
    // Check the container itself every other probe, and always before giving up:
    // an app that exits (and is restarted by its policy) must fail as APP_EXITED.
    if (attempt % 2 === 1 || !ip || timedOut) {
      const state = await runtime.inspect(name);
      // `starting`: Swarm has started a task that is not healthy yet (not an exit).
      const starting = state?.status === 'starting';
      if (!state || (!state.running && !starting) || state.restarting || state.restartCount > 0) {
        await copyContainerOutput(runtime, name, log);
        throw new BerthError(
          'APP_EXITED',
          `the app exited (code ${state?.exitCode ?? 'unknown'}) instead of listening on port ${port}`,
        );
      }
    }
    if (timedOut) {
      await copyContainerOutput(runtime, name, log);
      throw new BerthError(
        'HEALTHCHECK_TIMEOUT',
        `the app did not answer ${path} on port ${port} with a status below 500 within ${timeoutMs} ms`,
      );
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 1.5, 500);
  }
}

async function copyContainerOutput(runtime: ContainerRuntime, name: string, log: LogSink): Promise<void> {
  const lines = await runtime.tailLogs(name, 50).catch(() => []);
  log.system(lines.length ? `last ${lines.length} lines of the app's output:` : 'the app printed nothing');
  for (const line of lines) log.write('runtime', line);
}
