import type Docker from 'dockerode';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DockerFrameDemuxer } from '../docker/docker-frames.ts';
import { unavailable } from '../docker/docker-errors.ts';

export interface ExecResult {
  exitCode: number | null;
  /** The last few KB of its stderr (what a failure message quotes). */
  stderr: string;
}

export interface ExecStreams {
  /** Sent to the command's stdin (half-closed at its end); a failure of it kills the exec. */
  stdin?: Readable;
  /** Where its stdout goes (with back-pressure: the command waits for a slow reader); default: dropped. */
  stdout?: Writable;
  /** Its abort cuts the exec's streams off (a hung command; what runs in the container is killed by its own `timeout`). */
  signal?: AbortSignal;
}

/**
 * Runs `cmd` in a running container (docker exec) with its stdin and stdout streamed, never
 * held whole in memory: a dump larger than the worker's memory goes through in chunks.
 */
export async function execStreaming(docker: Docker, container: string, cmd: string[], env: string[], streams: ExecStreams = {}): Promise<ExecResult> {
  let exec: Docker.Exec;
  let socket: NodeJS.ReadWriteStream;
  try {
    exec = await docker.getContainer(container).exec({ Cmd: cmd, Env: env, AttachStdin: Boolean(streams.stdin), AttachStdout: true, AttachStderr: true, Tty: false });
    socket = (await exec.start({ hijack: true, stdin: Boolean(streams.stdin) })) as NodeJS.ReadWriteStream;
  } catch (err) {
    throw unavailable(err, `running ${cmd[0]} in ${container}`);
  }
  let stderr = '';
  const demuxer = new DockerFrameDemuxer();
  const demux = new Transform({
    transform(chunk: Buffer, _enc, done) {
      for (const frame of demuxer.push(chunk)) {
        if (frame.stream === 'stderr') stderr = (stderr + frame.payload.toString('utf8')).slice(-4000);
        else this.push(frame.payload);
      }
      done();
    },
  });
  if (streams.stdin) {
    const input = streams.stdin;
    input.on('error', (err) => (socket as unknown as { destroy(e: Error): void }).destroy(err));
    input.pipe(socket as unknown as Writable);
  }
  const sink = streams.stdout ?? new Writable({ write: (_c, _e, done) => done() });
  try {
    await (streams.signal ? pipeline(socket as unknown as Readable, demux, sink, { signal: streams.signal }) : pipeline(socket as unknown as Readable, demux, sink));
  } finally {
    streams.stdin?.destroy(); // cut off early: the rest of the input is not read
  }
  return { exitCode: await exitCodeOf(exec), stderr: stderr.trim() };
}

/** Docker records the exit code a moment after the stream ends. */
async function exitCodeOf(exec: Docker.Exec): Promise<number | null> {
  for (let i = 0; i < 50; i++) {
    const info = await exec.inspect().catch(() => undefined);
    if (info && !info.Running) return info.ExitCode;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}
