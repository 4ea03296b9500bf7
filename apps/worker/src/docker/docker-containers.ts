import type Docker from 'dockerode';
import { BerthError } from '@berth/shared/errors';
import { labels } from '@berth/shared/labels';
import type { ContainerState, OwnedContainer, RunContainerOptions } from './container-runtime.ts';
import { removeWhenFree, statusCode, unavailable } from './docker-errors.ts';
import { connectNetworks } from './docker-services.ts';

/** Docker mode's workloads: one plain container per deployment, on the shared isolated bridge (bridge-network.ts). */

/** Creates and starts the container; its id and its address on `options.network`. */
export async function startContainer(docker: Docker, options: RunContainerOptions): Promise<{ id: string; ip: string }> {
  try {
    const container = await docker.createContainer(containerSpec(options));
    await connectNetworks(docker, container.id, options.extraNetworks ?? []);
    await container.start();
    const info = await container.inspect();
    const ip = info.NetworkSettings.Networks[options.network]?.IPAddress ?? '';
    return { id: info.Id, ip };
  } catch (err) {
    const code = statusCode(err);
    if (code !== undefined && code >= 400 && code < 500) {
      const message = err instanceof Error ? err.message : String(err);
      throw new BerthError('APP_EXITED', `the container could not start: ${message}`, { cause: err });
    }
    throw unavailable(err, 'starting the container');
  }
}

function containerSpec(options: RunContainerOptions): Docker.ContainerCreateOptions {
  const portKey = `${options.port}/tcp`;
  return {
    name: options.name,
    Image: options.image,
    Env: Object.entries(options.env).map(([k, v]) => `${k}=${v}`),
    Labels: options.labels,
    ExposedPorts: { [portKey]: {} },
    ...(options.command ? { Entrypoint: ['/bin/sh', '-c'], Cmd: [options.command] } : {}),
    Tty: false,
    HostConfig: { ...appHostConfig(options), RestartPolicy: { Name: 'unless-stopped' } },
  };
}

/** What an app's container (and its release command's) may use and reach; its project's volumes mounted read-write. */
export function appHostConfig(options: Pick<RunContainerOptions, 'network' | 'memoryBytes' | 'nanoCpus' | 'mounts'>): Docker.HostConfig {
  return {
    NetworkMode: options.network,
    Memory: options.memoryBytes,
    NanoCpus: options.nanoCpus,
    PidsLimit: 512,
    CapDrop: ['ALL'],
    CapAdd: ['CHOWN', 'SETUID', 'SETGID', 'DAC_OVERRIDE', 'FOWNER', 'NET_BIND_SERVICE', 'KILL'],
    SecurityOpt: ['no-new-privileges'],
    Privileged: false,
    LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
    ...(options.mounts?.length ? { Mounts: options.mounts.map((m) => ({ Type: 'volume' as const, Source: m.volume, Target: m.target, ReadOnly: false })) } : {}),
  };
}

export async function inspectContainer(docker: Docker, nameOrId: string): Promise<ContainerState | undefined> {
  try {
    const info = await docker.getContainer(nameOrId).inspect();
    return {
      running: info.State.Running,
      restarting: info.State.Restarting,
      restartCount: info.RestartCount,
      exitCode: info.State.ExitCode,
      status: info.State.Status,
      startedAt: info.State.StartedAt,
    };
  } catch (err) {
    if (statusCode(err) === 404) return undefined;
    throw unavailable(err, 'inspecting the container');
  }
}

/** All containers (running or not) that carry this installation's labels; not Swarm's task containers (the swarm runtime's). */
export async function listOwnedContainers(docker: Docker, instance: string): Promise<OwnedContainer[]> {
  try {
    const containers = await docker.listContainers({ all: true, filters: { label: [`${labels.instance}=${instance}`] } });
    return containers.flatMap((c) => {
      if (c.Labels['com.docker.swarm.task.id']) return [];
      const deploymentId = c.Labels[labels.deployment];
      const name = c.Names[0]?.replace(/^\//, '');
      const process = c.Labels[labels.process];
      return deploymentId && name ? [{ deploymentId, name, running: c.State === 'running', ...(process ? { process } : {}) }] : [];
    });
  } catch (err) {
    throw unavailable(err, 'listing containers');
  }
}

/** Force-removes the container (and its anonymous volumes) if it exists. */
export async function removeContainer(docker: Docker, nameOrId: string): Promise<void> {
  // 409: a removal is already under way; wait for it, so the image can go next.
  await removeWhenFree(() => docker.getContainer(nameOrId).remove({ force: true, v: true }), `container ${nameOrId}`, 50);
}

/**
 * stop-first: the project's old release stops (kept, not removed) before the new one starts, and
 * starts again when the new one fails. false when it has no container (nothing to stop).
 */
export async function stopContainer(docker: Docker, name: string): Promise<boolean> {
  try {
    await docker.getContainer(name).stop({ t: 10 });
    return true;
  } catch (err) {
    const code = statusCode(err);
    if (code === 404) return false;
    if (code === 304) return true; // stopped already
    throw unavailable(err, 'stopping the old release');
  }
}

export async function startContainerAgain(docker: Docker, name: string): Promise<void> {
  try {
    await docker.getContainer(name).start();
  } catch (err) {
    if (statusCode(err) === 304 || statusCode(err) === 404) return;
    throw unavailable(err, 'starting the old release again');
  }
}
