import type { Redis } from '@berth/shared/redis';
import type { LogStore } from '@berth/shared/log-store';
import type { LogLine, LogStream } from '@berth/shared/log-line';
import type { Logger } from '@berth/shared/logger';
import type { FollowerLease } from './log-seqs.ts';

// What a LogSink is made with, and the pieces it holds (log-sink.ts).

/** Where a sink stores its batches; `append` is false when a follower no longer follows (LogStore). */
export interface LogSinkStore extends Pick<LogStore, 'maxSeq'> {
  append(deploymentId: string, lines: readonly LogLine[], follower?: string): Promise<boolean | void>;
}

export interface Pending {
  stream: LogStream;
  line: string;
  ts: string;
}

export interface LogSinkOptions {
  redis: Redis;
  logs: LogSinkStore;
  instance: string;
  deploymentId: string;
  flushMs: number;
  maxBatch?: number;
  /** Values to mask wherever they appear in a line (the deployment's env values). */
  secrets?: readonly string[];
  /** Build lines kept per attempt; past it one notice is written and the rest dropped. */
  maxLines?: number;
  /** How long a batch is retried while Redis or Postgres is away before it is given up. */
  retryForMs?: number;
  logger: Logger;
  /**
   * A runtime follower's sink: it stores only while it holds the lease (and
   * the fence row, runtime-log-followers.ts); once another worker follows,
   * what it holds is dropped (the successor reads it again from the
   * container) and `onReplaced` is called.
   */
  follower?: FollowerLease & { onReplaced: () => void };
}

/** Which source a piece of a line came from (`stdout`, `stderr`, the build), and whether the line goes on in its next piece. */
export interface LinePart {
  source: string;
  continues: boolean;
}

/** What a source's line left held back, waiting for its next piece. */
export interface Carry {
  stream: LogStream;
  text: string;
  ts: string;
}
