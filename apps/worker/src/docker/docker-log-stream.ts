import { LineSplitter, maxRawLineLength } from '@berth/shared/log-line';
import type { FollowLogsOptions } from './container-runtime.ts';
import { DockerFrameDemuxer } from './docker-frames.ts';
import { microsecondStamp, nowStamp } from '../log-timestamps.ts';
import { unavailable } from './docker-errors.ts';

/** The Engine API's options for a followed log of both outputs with their stamps (a container's, a service's). */
export function followedLogOptions(options: FollowLogsOptions) {
  return { follow: true, stdout: true, stderr: true, timestamps: true, since: options.sinceSeconds, abortSignal: options.signal } as const;
}

/**
 * Reads a followed container log stream (multiplexed, `timestamps: true`)
 * into whole lines with their timestamps, until it ends or `signal` aborts.
 */
export async function readTimestampedLines(stream: NodeJS.ReadableStream, options: FollowLogsOptions): Promise<void> {
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
    const stamp = space > 0 ? microsecondStamp(payload.slice(0, space)) : undefined;
    const stamped = stamp !== undefined;
    const ts = stamp ?? nowStamp();
    const lines = output.splitter.pushPieces(stamped ? payload.slice(space + 1) : payload);
    lines.forEach((piece, i) => options.onLine({ ts: i === 0 ? (output.ts ?? ts) : ts, source: kind, ...piece }));
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
  for (const [kind, output] of Object.entries(outputs)) {
    const ts = output.ts ?? nowStamp();
    for (const piece of output.splitter.flushPieces()) options.onLine({ ts, source: kind as 'stdout' | 'stderr', ...piece });
  }
}
