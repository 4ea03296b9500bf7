import Docker from 'dockerode';
import tar from 'tar-fs';
import { BerthError } from '@berth/shared/errors';
import { LineSplitter } from '@berth/shared/log-line';
import type { BuildImageOptions, ContainerRuntime, ContainerState, RunContainerOptions } from './container-runtime.ts';

interface BuildEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
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

  async ensureNetwork(name: string): Promise<void> {
    try {
      await this.docker.getNetwork(name).inspect();
    } catch (err) {
      if (statusCode(err) !== 404) throw unavailable(err, 'inspecting the app network');
      try {
        await this.docker.createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: true });
      } catch (createErr) {
        if (statusCode(createErr) !== 409) throw unavailable(createErr, 'creating the app network');
      }
    }
  }

  async buildImage(options: BuildImageOptions): Promise<void> {
    const deadline = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.docker.buildImage(tar.pack(options.contextDir) as unknown as NodeJS.ReadableStream, {
        t: options.tag,
        dockerfile: options.dockerfile,
        labels: options.labels,
        rm: true,
        forcerm: true,
        abortSignal: deadline,
      });
    } catch (err) {
      throw this.buildError(err, options, deadline);
    }
    // The daemon answers 200 even when the build fails: the error is an event.
    const events = new LineSplitter();
    const output = new LineSplitter();
    let failure: string | undefined;
    const handle = (raw: string) => {
      if (!raw.trim()) return;
      let event: BuildEvent;
      try {
        event = JSON.parse(raw) as BuildEvent;
      } catch {
        return;
      }
      if (event.stream) for (const line of output.push(event.stream)) options.onLine(line);
      if (event.status) options.onLine(event.status);
      if (event.error) failure = event.errorDetail?.message ?? event.error;
    };
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        for (const raw of events.push(chunk.toString('utf8'))) handle(raw);
      }
      for (const raw of events.flush()) handle(raw);
    } catch (err) {
      throw this.buildError(err, options, deadline);
    }
    for (const line of output.flush()) options.onLine(line);
    if (failure) throw new BerthError('BUILD_FAILED', `image build failed: ${failure}`);
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

  async removeContainer(nameOrId: string): Promise<void> {
    try {
      await this.docker.getContainer(nameOrId).remove({ force: true, v: true });
    } catch (err) {
      const code = statusCode(err);
      if (code === 404 || code === 409) return; // gone, or removal already in progress
      throw unavailable(err, 'removing the container');
    }
  }

  async removeImage(tag: string): Promise<void> {
    try {
      await this.docker.getImage(tag).remove({ force: true });
    } catch (err) {
      if (statusCode(err) === 404 || statusCode(err) === 409) return;
      throw unavailable(err, 'removing the image');
    }
  }
}

/** Splits Docker's multiplexed (Tty: false) log format into text lines. */
export function demuxToLines(raw: Buffer): string[] {
  const splitter = new LineSplitter();
  const lines: string[] = [];
  let offset = 0;
  while (offset + 8 <= raw.length) {
    const size = raw.readUInt32BE(offset + 4);
    lines.push(...splitter.push(raw.subarray(offset + 8, offset + 8 + size).toString('utf8')));
    offset += 8 + size;
  }
  lines.push(...splitter.flush());
  return lines;
}
