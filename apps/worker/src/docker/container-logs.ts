import type Docker from 'dockerode';
import { LineSplitter } from '@berth/shared/log-line';
import type { FollowLogsOptions } from './container-runtime.ts';
import { statusCode, unavailable } from './docker-errors.ts';
import { DockerFrameDemuxer } from './docker-frames.ts';
import { followedLogOptions, readTimestampedLines } from './docker-log-stream.ts';

/**
 * The output of one container on this node's Docker. Docker mode reads the
 * deployment's container; swarm mode the service's newest task container here.
 */
export class ContainerLogs {
  constructor(private readonly docker: Docker) {}

  /** The last `lines` lines; none when the container is gone. */
  async tail(nameOrId: string, lines: number): Promise<string[]> {
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

  /** Streams stdout and stderr until the container stops or `signal` aborts. */
  async follow(nameOrId: string, options: FollowLogsOptions): Promise<void> {
    let stream: NodeJS.ReadableStream;
    try {
      stream = (await this.docker
        .getContainer(nameOrId)
        .logs(followedLogOptions(options) as Docker.ContainerLogsOptions & { follow: true })) as NodeJS.ReadableStream;
    } catch (err) {
      if (statusCode(err) === 404 || options.signal.aborted) return;
      throw unavailable(err, 'following container logs');
    }
    await readTimestampedLines(stream, options);
  }
}

/**
 * Splits Docker's multiplexed (Tty: false) log format, already complete in
 * memory, into text lines. Lines are kept whole however long (the buffer is
 * in memory anyway): the log sink masks secrets, then cuts them.
 */
export function demuxToLines(raw: Buffer): string[] {
  const splitter = new LineSplitter(Number.POSITIVE_INFINITY);
  const lines = new DockerFrameDemuxer().push(raw).flatMap((frame) => splitter.push(frame.payload.toString('utf8')));
  lines.push(...splitter.flush());
  return lines;
}
