import Docker from 'dockerode';
import tar from 'tar-fs';
import { BerthError } from '@berth/shared/errors';
import { LineSplitter, maxRawLineLength } from '@berth/shared/log-line';
import { NewlineSplitter } from '@berth/shared/newline-splitter';
import { DockerFrameDemuxer } from './docker-frames.ts';
import { labels } from '@berth/shared/labels';
import { imageRepositoryPrefix } from '@berth/shared/docker-names';
import {
  BuildStepError,
  type BuildImageOptions,
  type ContainerRuntime,
  type ContainerState,
  type EngineInfo,
  type NetworkState,
  type FollowLogsOptions,
  type RunContainerOptions,
  type RunningContainer,
  type OwnedContainer,
} from './container-runtime.ts';

interface BuildEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string; code?: number };
  aux?: { ID?: string };
}

const iccOption = 'com.docker.network.bridge.enable_icc';

function isIsolated(info: Docker.NetworkInspectInfo): boolean {
  return info.Options?.[iccOption] === 'false';
}

function statusCode(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'statusCode' in err ? Number(err.statusCode) : undefined;
}

/** Docker errors that mean "the daemon is not there" are retryable infrastructure failures. */
function unavailable(err: unknown, what: string): BerthError {
  const message = err instanceof Error ? err.message : String(err);
  return new BerthError('DOCKER_UNAVAILABLE', `${what}: ${message}`, { cause: err });
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
    const deadline = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
    let stream: NodeJS.ReadableStream;
    // Links are packed as links, never followed (tar-fs's default, spelled out
    // because the context is untrusted): Docker then resolves them inside the
    // context, so a `secret -> /etc/shadow` link cannot pull a host file in.
    const context = tar.pack(options.contextDir, { dereference: false });
    try {
      stream = await this.docker.buildImage(context as unknown as NodeJS.ReadableStream, {
        t: options.tag,
        dockerfile: options.dockerfile,
        labels: options.labels,
        // forcerm: the daemon removes a failed step's container too (also when the client aborts).
        rm: true,
        forcerm: true,
        // Limits for every RUN step's container. memswap = memory: no swap on top, so a step
        // that allocates without bound is OOM-killed (exit 137) instead of thrashing the host.
        memory: options.limits.memoryBytes,
        memswap: options.limits.memoryBytes,
        cpuperiod: 100_000,
        cpuquota: Math.round(options.limits.cpus * 100_000),
        ...(options.limits.cgroupParent ? { cgroupparent: options.limits.cgroupParent } : {}),
        abortSignal: deadline,
      } as Docker.ImageBuildOptions);
    } catch (err) {
      throw this.buildError(err, options, deadline);
    }
    // The daemon answers 200 even when the build fails: the error is an event. Events are
    // never cut (a 1 MB output line arrives as one 1 MB JSON event); only one beyond 64 MiB is
    // dropped, so a hostile build cannot exhaust memory.
    const events = new NewlineSplitter({ maxPending: 64 * 1024 * 1024, overflow: 'drop' });
    // Whole lines: the log sink masks secrets, then cuts them to the stored size.
    const output = new LineSplitter(maxRawLineLength);
    let failure: { message: string; code: number | undefined } | undefined;
    let stepContainer: string | undefined;
    const handle = (raw: string) => {
      if (!raw.trim()) return;
      let event: BuildEvent;
      try {
        event = JSON.parse(raw) as BuildEvent;
      } catch {
        return;
      }
      if (event.stream) {
        stepContainer = /---> Running in ([0-9a-f]{12,64})/.exec(event.stream)?.[1] ?? stepContainer;
        for (const line of output.push(event.stream)) options.onLine(line);
      }
      if (event.status) options.onLine(event.status);
      if (event.error) failure = { message: event.errorDetail?.message ?? event.error, code: event.errorDetail?.code };
    };
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        for (const raw of events.push(chunk.toString('utf8'))) handle(raw);
      }
      for (const raw of events.flush()) handle(raw);
    } catch (err) {
      // Aborted (deadline, cancel): the daemon removes the running step's container (forcerm)
      // on its own time. Remove it now, so that the build is over, with its processes and
      // cgroup, when the deployment is reported failed.
      if (stepContainer) {
        const id = stepContainer;
        await removeWhenFree(() => this.docker.getContainer(id).remove({ force: true }), `build container ${id}`, 50).catch(
          () => {},
        );
      }
      throw this.buildError(err, options, deadline);
    }
    for (const line of output.flush()) options.onLine(line);
    if (failure) throw new BuildStepError(`image build failed: ${failure.message}`, failure.code);
  }

  private buildError(err: unknown, options: BuildImageOptions, deadline: AbortSignal): Error {
    if (options.signal.aborted) return err instanceof Error ? err : new Error(String(err));
    if (deadline.aborted) {
      return new BerthError('BUILD_FAILED', `image build did not finish within ${options.timeoutMs} ms`);
    }
    const code = statusCode(err);
    if (code !== undefined && code >= 400 && code < 500) {
      const message = err instanceof Error ? err.message : String(err);
      return new BerthError('BUILD_FAILED', `image build failed: ${message}`, { cause: err });
    }
    return unavailable(err, 'building the image');
  }

  async runContainer(options: RunContainerOptions): Promise<{ id: string; ip: string }> {
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
    // Tty: false means a multiplexed stream; one splitter per output keeps partial lines apart.
    // Whole lines (up to maxRawLineLength): the log sink masks secrets, then cuts them.
    const outputs = {
      stdout: { splitter: new LineSplitter(maxRawLineLength), ts: undefined as string | undefined },
      stderr: { splitter: new LineSplitter(maxRawLineLength), ts: undefined as string | undefined },
    };
    // Each frame is one log message with its own timestamp in front. Docker
    // stores an output line longer than 16 KiB as several messages, so the
    // stamp is removed per frame (else it lands in the middle of the line, and
    // in the middle of any secret there) and a line keeps its first piece's.
    const onFrame = (kind: 'stdout' | 'stderr', payload: string) => {
      const output = outputs[kind];
      const space = payload.indexOf(' ');
      const stamp = space > 0 ? new Date(payload.slice(0, space)) : new Date(NaN);
      const stamped = !Number.isNaN(stamp.getTime());
      const ts = stamped ? stamp.toISOString() : new Date().toISOString();
      const lines = output.splitter.push(stamped ? payload.slice(space + 1) : payload);
      lines.forEach((line, i) => options.onLine({ ts: i === 0 ? (output.ts ?? ts) : ts, line }));
      output.ts = !output.splitter.hasPending ? undefined : lines.length > 0 ? ts : (output.ts ?? ts);
    };
    const demuxer = new DockerFrameDemuxer();
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        for (const frame of demuxer.push(chunk)) onFrame(frame.stream, frame.payload.toString('utf8'));
      }
    } catch (err) {
      if (!options.signal.aborted) throw unavailable(err, 'following container logs');
    }
    for (const output of Object.values(outputs)) {
      const ts = output.ts ?? new Date().toISOString();
      for (const line of output.splitter.flush()) options.onLine({ ts, line });
    }
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
}

/** Runs a Docker removal; gone already (404) is success, busy (409) is retried every 100 ms. */
async function removeWhenFree(remove: () => Promise<unknown>, what: string, attempts: number): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      await remove();
      return;
    } catch (err) {
      const code = statusCode(err);
      if (code === 404) return;
      if (code !== 409) throw unavailable(err, `removing ${what}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new BerthError('DOCKER_UNAVAILABLE', `${what} could not be removed`);
}

/** Splits Docker's multiplexed (Tty: false) log format, already complete in memory, into text lines. */
export function demuxToLines(raw: Buffer): string[] {
  const splitter = new LineSplitter(maxRawLineLength);
  const lines = new DockerFrameDemuxer().push(raw).flatMap((frame) => splitter.push(frame.payload.toString('utf8')));
  lines.push(...splitter.flush());
  return lines;
}
