import Docker from 'dockerode';
import { BerthError } from '@berth/shared/errors';
import { LineSplitter, maxRawLineLength } from '@berth/shared/log-line';
import { DockerFrameDemuxer } from './docker-frames.ts';
import { buildImage } from './docker-build.ts';
import { removeWhenFree, statusCode, unavailable } from './docker-errors.ts';
import { readTimestampedLines } from './docker-log-stream.ts';
import { watchDockerEvents } from './docker-events.ts';
import { labels } from '@berth/shared/labels';
import { imageRepositoryPrefix } from '@berth/shared/docker-names';
import {
  type BuildImageOptions,
  type ContainerRuntime,
  type ContainerState,
  type EngineInfo,
  type NetworkState,
  type FollowLogsOptions,
  type RunContainerOptions,
  type RunningContainer,
  type OwnedContainer,
  type ReplicaState,
  type ContainerEvent,
  type ProbeTarget,
  type AppNetwork,
} from './container-runtime.ts';
import { probeHttp } from '../health-check.ts';

const iccOption = 'com.docker.network.bridge.enable_icc';

function isIsolated(info: Docker.NetworkInspectInfo): boolean {
  return info.Options?.[iccOption] === 'false';
}

export class DockerRuntime implements ContainerRuntime {
  constructor(private readonly docker: Docker = new Docker()) {}

  async engineInfo(): Promise<EngineInfo> {
    try {
      const info = (await this.docker.info()) as { CgroupDriver?: string };
      return { cgroupDriver: info.CgroupDriver ?? 'unknown' };
    } catch (err) {
      throw unavailable(err, 'asking the Docker daemon about itself');
    }
  }

  /**
   * The app network refuses container-to-container traffic (`enable_icc`
   * false: Docker adds a DROP rule for traffic between two ports of the
   * bridge), so one app cannot connect to another app's container. The host
   * (Caddy, the worker's health probe) still reaches every app: its traffic
   * comes from the bridge's own address, not from another container.
   *
   * A network made by an older Berth lacks the option, and Docker cannot change
   * options of an existing network. When no container is attached it is
   * recreated (Docker refuses to remove a network with endpoints, so a
   * container attached meanwhile makes the removal fail, not vanish); with
   * containers attached it is left alone and reported, since recreating it
   * would cut running apps off from Caddy. (Narrow window: another worker that
   * checked the old network but has not attached its container yet loses the
   * network and fails that one deployment.)
   */
  async ensureNetwork(name: string): Promise<NetworkState> {
    let info = await this.inspectNetwork(name);
    if (info && !isIsolated(info)) {
      const attached = Object.keys(info.Containers ?? {}).length;
      if (attached > 0) return { isolated: false, attached };
      try {
        await this.docker.getNetwork(name).remove();
      } catch (err) {
        const code = statusCode(err);
        if (code === 403 || code === 409) return { isolated: false, attached: 1 }; // just gained an endpoint
        if (code !== 404) throw unavailable(err, 'replacing the app network');
      }
      info = undefined;
    }
    if (!info) {
      try {
        await this.docker.createNetwork({
          Name: name,
          Driver: 'bridge',
          CheckDuplicate: true,
          Options: { [iccOption]: 'false' },
        });
      } catch (createErr) {
        if (statusCode(createErr) !== 409) throw unavailable(createErr, 'creating the app network');
      }
      info = await this.inspectNetwork(name);
    }
    return { isolated: !!info && isIsolated(info), attached: Object.keys(info?.Containers ?? {}).length };
  }

  private async inspectNetwork(name: string): Promise<Docker.NetworkInspectInfo | undefined> {
    try {
      return (await this.docker.getNetwork(name).inspect()) as Docker.NetworkInspectInfo;
    } catch (err) {
      if (statusCode(err) === 404) return undefined;
      throw unavailable(err, 'inspecting the app network');
    }
  }

  async buildImage(options: BuildImageOptions): Promise<void> {
    await buildImage(this.docker, options);
  }

  async runContainer(options: RunContainerOptions): Promise<{ id: string; ip: string }> {
    assertOneReplica(options.replicas);
    const portKey = `${options.port}/tcp`;
    let container: Docker.Container;
    try {
      container = await this.docker.createContainer({
        name: options.name,
        Image: options.image,
        Env: Object.entries(options.env).map(([k, v]) => `${k}=${v}`),
        Labels: options.labels,
        ExposedPorts: { [portKey]: {} },
        Tty: false,
        HostConfig: {
          NetworkMode: options.network,
          Memory: options.memoryBytes,
          NanoCpus: options.nanoCpus,
          PidsLimit: 512,
          RestartPolicy: { Name: 'unless-stopped' },
          CapDrop: ['ALL'],
          CapAdd: ['CHOWN', 'SETUID', 'SETGID', 'DAC_OVERRIDE', 'FOWNER', 'NET_BIND_SERVICE', 'KILL'],
          SecurityOpt: ['no-new-privileges'],
          Privileged: false,
          LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
        },
      });
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

  async replicas(name: string): Promise<ReplicaState | undefined> {
    const state = await this.inspect(name);
    return state && { desired: 1, running: state.running ? 1 : 0 };
  }

  /** One container per deployment: there is nothing to scale (the API refuses more than one in docker mode). */
  async scale(_name: string, replicas: number): Promise<void> {
    assertOneReplica(replicas);
  }

  async inspect(nameOrId: string): Promise<ContainerState | undefined> {
    try {
      const info = await this.docker.getContainer(nameOrId).inspect();
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

  async tailLogs(nameOrId: string, lines: number): Promise<string[]> {
    try {
      const raw = (await this.docker
        .getContainer(nameOrId)
        .logs({ stdout: true, stderr: true, tail: lines, follow: false })) as unknown as Buffer;
      return demuxToLines(raw);
    } catch (err) {
      if (statusCode(err) === 404) return [];
      throw unavailable(err, 'reading container logs');
    }
  }

  async followLogs(nameOrId: string, options: FollowLogsOptions): Promise<void> {
    let stream: NodeJS.ReadableStream;
    try {
      stream = (await this.docker.getContainer(nameOrId).logs({
        follow: true,
        stdout: true,
        stderr: true,
        timestamps: true,
        since: options.sinceSeconds,
        abortSignal: options.signal,
      } as Docker.ContainerLogsOptions & { follow: true })) as NodeJS.ReadableStream;
    } catch (err) {
      if (statusCode(err) === 404 || options.signal.aborted) return;
      throw unavailable(err, 'following container logs');
    }
    await readTimestampedLines(stream, options);
  }

  async listRunning(instance: string): Promise<RunningContainer[]> {
    return (await this.listAll(instance)).filter((c) => c.running).map(({ name, deploymentId }) => ({ name, deploymentId }));
  }

  async listAll(instance: string): Promise<OwnedContainer[]> {
    try {
      const containers = await this.docker.listContainers({ all: true, filters: { label: [`${labels.instance}=${instance}`] } });
      return containers.flatMap((c) => {
        const deploymentId = c.Labels[labels.deployment];
        const name = c.Names[0]?.replace(/^\//, '');
        return deploymentId && name ? [{ deploymentId, name, running: c.State === 'running' }] : [];
      });
    } catch (err) {
      throw unavailable(err, 'listing containers');
    }
  }

  async listImages(instance: string): Promise<string[]> {
    try {
      const prefix = imageRepositoryPrefix(instance);
      const images = await this.docker.listImages({ filters: { reference: [`${prefix}*`] } });
      return images.flatMap((i) => i.RepoTags ?? []).filter((t) => t.startsWith(prefix));
    } catch (err) {
      throw unavailable(err, 'listing images');
    }
  }

  watchEvents(instance: string, signal: AbortSignal, onEvent: (event: ContainerEvent) => void): Promise<void> {
    return watchDockerEvents(this.docker, instance, signal, onEvent);
  }

  async removeContainer(nameOrId: string): Promise<void> {
    // 409: a removal is already under way; wait for it, so the image can go next.
    await removeWhenFree(() => this.docker.getContainer(nameOrId).remove({ force: true, v: true }), `container ${nameOrId}`, 50);
  }

  async imageExists(ref: string): Promise<boolean> {
    try {
      await this.docker.getImage(ref).inspect();
      return true;
    } catch (err) {
      if (statusCode(err) === 404) return false;
      throw unavailable(err, `inspecting image ${ref}`);
    }
  }

  async removeImage(tag: string): Promise<void> {
    // 409: a container that is going away still uses it; give it a moment.
    await removeWhenFree(() => this.docker.getImage(tag).remove({ force: true }), `image ${tag}`, 30);
  }

  async tagImage(source: string, target: string): Promise<boolean> {
    const [repo, tag] = splitReference(target);
    try {
      await this.docker.getImage(source).tag({ repo, tag });
      return true;
    } catch (err) {
      if (statusCode(err) === 404) return false;
      throw unavailable(err, 'tagging an image');
    }
  }

  /** The host reaches the app network directly (see ensureNetwork). */
  async probeApp({ ip, port, path }: ProbeTarget): Promise<boolean> {
    return ip ? probeHttp(ip, port, path) : false;
  }

  /** The host dials the container directly: nothing was opened for the probes. */
  async endProbes(_name: string): Promise<void> {}

  /** One shared (isolated) network for every app: none is a deployment's own. */
  async listAppNetworks(_instance: string): Promise<AppNetwork[]> {
    return [];
  }

  async close(): Promise<void> {}

  async imageSize(tag: string): Promise<number | undefined> {
    try {
      return (await this.docker.getImage(tag).inspect()).Size;
    } catch (err) {
      if (statusCode(err) === 404) return undefined;
      throw unavailable(err, 'inspecting an image');
    }
  }
}

/** Splits Docker's multiplexed (Tty: false) log format, already complete in memory, into text lines. */
export function demuxToLines(raw: Buffer): string[] {
  const splitter = new LineSplitter(maxRawLineLength);
  const lines = new DockerFrameDemuxer().push(raw).flatMap((frame) => splitter.push(frame.payload.toString('utf8')));
  lines.push(...splitter.flush());
  return lines;
}

/** `repo:tag` → [repo, tag] (the tag after the last colon that follows the last slash). */
function splitReference(ref: string): [string, string] {
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, 'latest'];
}

function assertOneReplica(replicas: number): void {
  if (replicas !== 1) {
    throw new BerthError('REPLICAS_NEED_SWARM', `docker mode runs one container per deployment, not ${replicas} (BERTH_RUNTIME=swarm runs several)`);
  }
}
