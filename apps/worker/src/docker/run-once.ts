import type Docker from 'dockerode';
import { BerthError } from '@berth/shared/errors';
import type { RuntimeLine } from './container-runtime.ts';
import type { VolumeMount } from './volume-mount.ts';
import { ContainerLogs } from './container-logs.ts';
import { appHostConfig } from './docker-containers.ts';
import { removeWhenFree, statusCode, unavailable } from './docker-errors.ts';
import { connectNetworks } from './docker-services.ts';

export interface RunOnceOptions {
  /** Deterministic (releaseContainerName): a leftover of an earlier attempt is removed first. */
  name: string;
  image: string;
  /** One shell line, run with `/bin/sh -c` (the image's entrypoint is replaced). */
  command: string;
  env: Record<string, string>;
  labels: Record<string, string>;
  mounts: VolumeMount[];
  network: string;
  /** Networks it joins besides `network` (its project's, where its services are). */
  extraNetworks?: string[];
  memoryBytes: number;
  nanoCpus: number;
  timeoutMs: number;
  signal: AbortSignal;
  onLine: (line: RuntimeLine) => void;
}

/** The app's network, memory and CPUs: what a run-once container (a release command, a run) gets, as the app does. */
export function appLimits(config: { network: string; CONTAINER_MEMORY_MB: number; CONTAINER_CPUS: number }): Pick<RunOnceOptions, 'network' | 'memoryBytes' | 'nanoCpus'> {
  return { network: config.network, memoryBytes: config.CONTAINER_MEMORY_MB * 1024 * 1024, nanoCpus: Math.round(config.CONTAINER_CPUS * 1e9) };
}

export interface RunOnceResult {
  /** The command's exit code; undefined when it was killed for its time (timedOut). */
  exitCode: number | undefined;
  timedOut: boolean;
}

/**
 * Runs a command once in a new container of an image (a release command), confined like the app
 * (docker-containers.ts appHostConfig, no restart), streaming its output; removes the container after.
 */
export async function runOnce(docker: Docker, options: RunOnceOptions): Promise<RunOnceResult> {
  await removeLeftover(docker, options.name);
  const container = await create(docker, options);
  try {
    await connectNetworks(docker, container.id, options.extraNetworks ?? []);
    const logs = new ContainerLogs(docker);
    const stopFollowing = new AbortController();
    await container.start().catch((err: unknown) => {
      throw new BerthError('RELEASE_COMMAND_FAILED', `the release command could not start: ${err instanceof Error ? err.message : String(err)}`);
    });
    const following = logs.follow(options.name, { sinceSeconds: 0, signal: stopFollowing.signal, onLine: options.onLine });
    const result = await waitOrKill(container, options.timeoutMs, options.signal);
    // The output ends with the container; a stream that stays open is not waited for long.
    await Promise.race([following, new Promise((r) => setTimeout(r, 2000))]);
    stopFollowing.abort();
    return result;
  } finally {
    await removeLeftover(docker, options.name).catch(() => {});
  }
}

async function create(docker: Docker, options: RunOnceOptions): Promise<Docker.Container> {
  try {
    return await docker.createContainer({
      name: options.name,
      Image: options.image,
      Entrypoint: ['/bin/sh', '-c'],
      Cmd: [options.command],
      Env: Object.entries(options.env).map(([k, v]) => `${k}=${v}`),
      Labels: options.labels,
      Tty: false,
      HostConfig: { ...appHostConfig(options), RestartPolicy: { Name: 'no' } },
    });
  } catch (err) {
    const code = statusCode(err);
    if (code !== undefined && code >= 400 && code < 500) {
      throw new BerthError('RELEASE_COMMAND_FAILED', `the release command's container could not be made: ${err instanceof Error ? err.message : String(err)}`);
    }
    throw unavailable(err, 'creating the release command container');
  }
}

/** Waits for the container to exit; past `timeoutMs` (or when the deployment is canceled) it is killed. */
async function waitOrKill(container: Docker.Container, timeoutMs: number, signal: AbortSignal): Promise<RunOnceResult> {
  let timedOut = false;
  const kill = () => void container.kill().catch(() => {});
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, timeoutMs);
  signal.addEventListener('abort', kill, { once: true });
  // Aborted before the container started (a run canceled at once): the listener above never fires.
  if (signal.aborted) kill();
  try {
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    signal.throwIfAborted();
    return timedOut ? { exitCode: undefined, timedOut } : { exitCode: StatusCode, timedOut };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', kill);
  }
}

async function removeLeftover(docker: Docker, name: string): Promise<void> {
  await removeWhenFree(() => docker.getContainer(name).remove({ force: true, v: true }), `container ${name}`, 50);
}
