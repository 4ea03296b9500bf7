import type Docker from 'dockerode';
import { containerName, processContainerName } from '@berth/shared/docker-names';
import { BerthError } from '@berth/shared/errors';
import { labels } from '@berth/shared/labels';
import type { RunContainerOptions } from './container-runtime.ts';
import { appHostConfig, removeContainer, startContainerAgain, stopContainer } from './docker-containers.ts';
import { statusCode, unavailable } from './docker-errors.ts';
import { connectNetworks } from './docker-services.ts';

/**
 * Docker mode's containers of a release's processes besides web (berth.json `processes`, a Procfile):
 * the app's image, env, limits and volumes, no port and no route, restarted by Docker when they exit.
 * Named `<app container>-<type>-<n>` and labelled with the deployment, so whatever lists or removes a
 * deployment's containers (the reaper, the runtime log follower) finds them too.
 */

export interface ProcessContainer {
  name: string;
  type: string;
  index: number;
  running: boolean;
}

/** What a process container is made of: the app's container options, without port and replicas. */
export type ProcessOptions = Pick<RunContainerOptions, 'image' | 'env' | 'network' | 'extraNetworks' | 'memoryBytes' | 'nanoCpus' | 'mounts'> & {
  instance: string;
  deploymentId: string;
  project: string;
};

/** The deployment's process containers (running or not), by type then number. */
export async function listProcesses(docker: Docker, instance: string, deploymentId: string): Promise<ProcessContainer[]> {
  try {
    const found = await docker.listContainers({
      all: true,
      filters: { label: [`${labels.instance}=${instance}`, `${labels.deployment}=${deploymentId}`, labels.process] },
    });
    return found
      .map((c) => ({
        name: c.Names[0]?.replace(/^\//, '') ?? c.Id,
        type: c.Labels[labels.process] ?? '',
        index: Number(c.Labels[labels.processIndex] ?? 0),
        running: c.State === 'running',
      }))
      .sort((a, b) => a.type.localeCompare(b.type) || a.index - b.index);
  } catch (err) {
    throw unavailable(err, 'listing process containers');
  }
}

/** Creates and starts process `type` number `index` running `command` (with `sh -c`); one that exists already is started. */
export async function startProcess(docker: Docker, options: ProcessOptions, type: string, index: number, command: string): Promise<void> {
  const name = processContainerName(options.instance, options.deploymentId, type, index);
  try {
    const container = await docker.createContainer({
      name,
      Image: options.image,
      Entrypoint: ['/bin/sh', '-c'],
      Cmd: [command],
      Env: Object.entries(options.env).map(([k, v]) => `${k}=${v}`),
      Labels: {
        [labels.instance]: options.instance,
        [labels.deployment]: options.deploymentId,
        [labels.project]: options.project,
        [labels.process]: type,
        [labels.processIndex]: String(index),
        [labels.processOf]: containerName(options.instance, options.deploymentId),
      },
      Tty: false,
      // An init as PID 1 passes SIGTERM on: a worker stopped for the next release ends at once, not after 10 s.
      HostConfig: { ...appHostConfig(options), Init: true, RestartPolicy: { Name: 'unless-stopped' } },
    });
    await connectNetworks(docker, container.id, options.extraNetworks ?? []); // the project's services
    await container.start();
  } catch (err) {
    const code = statusCode(err);
    if (code === 409) return startContainerAgain(docker, name); // made already (another worker's poke, a retry)
    if (code !== undefined && code >= 400 && code < 500) {
      throw new BerthError('PROCESS_EXITED', `process ${type} could not start: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    throw unavailable(err, `starting process ${type}`);
  }
}

/** Stops the deployment's running processes (kept: startContainerAgain brings them back); the names stopped. */
export async function stopProcesses(docker: Docker, instance: string, deploymentId: string): Promise<string[]> {
  const running = (await listProcesses(docker, instance, deploymentId)).filter((p) => p.running);
  await Promise.all(running.map((p) => stopContainer(docker, p.name)));
  return running.map((p) => p.name);
}

/** Removes every process container of the app container `appName` (its deployment is removed). */
export async function removeProcessesOf(docker: Docker, appName: string): Promise<void> {
  let found: Docker.ContainerInfo[];
  try {
    found = await docker.listContainers({ all: true, filters: { label: [`${labels.processOf}=${appName}`] } });
  } catch (err) {
    throw unavailable(err, 'listing process containers');
  }
  await Promise.all(found.map((c) => removeContainer(docker, c.Id)));
}
