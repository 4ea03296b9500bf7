import type { Redis } from '@berth/shared/redis';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import { encodeEvent, eventsChannel, logSeqKey } from '@berth/shared/events';
import type { LogLine, LogStream } from '@berth/shared/log-line';
import type { Logger } from '@berth/shared/logger';

interface Pending {
  stream: LogStream;
  line: string;
  ts: string;
}

export interface LogSinkOptions {
  redis: Redis;
  store: DeploymentStore;
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
}

const mask = '••••••';

/**
 * Env values worth masking: long enough not to mangle ordinary output
 * ("1", "true", a port number), longest first so no part of one is left.
 */
export function maskableSecrets(env: Record<string, string>): string[] {
  return [...new Set(Object.values(env))]
    .filter((v) => v.length >= 4 && !/^(\d+|true|false|yes|no|on|off)$/i.test(v))
    .sort((a, b) => b.length - a.length);
}

/**
 * Collects one deployment's log lines and flushes them in batches: a batch
 * gets its range of sequence numbers from one Redis INCRBY (so numbering
 * continues across workers and retries), is written to Postgres, and only
 * then published. Persisting before publishing is what lets a viewer that
 * subscribes, then reads history, miss nothing at the seam; a lost publish
 * is filled from Postgres by the viewer when the next batch shows a gap.
 */
export class LogSink {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Seq ranges are reserved, stored and published in order, each stage one batch after another. */
  private reserving: Promise<unknown> = Promise.resolve();
  private storing: Promise<unknown> = Promise.resolve();
  private publishing: Promise<void> = Promise.resolve();
  private closed = false;
  /** Lines given up after retryForMs (kept for tests and metrics; should stay 0). */
  dropped = 0;
  /** Lines not kept because the deployment hit its log limit. */
  overLimit = 0;
  private written = 0;

  constructor(private readonly deps: LogSinkOptions) {}

  /** Makes sure the counter is at least the highest stored seq (e.g. after Redis lost its data). */
  async init(): Promise<void> {
    const last = await this.deps.store.maxLogSeq(this.deps.deploymentId);
    await this.deps.redis.set(logSeqKey(this.deps.instance, this.deps.deploymentId), String(last), 'NX');
  }

  write(stream: LogStream, line: string, ts: string = new Date().toISOString()): void {
    if (this.closed) return;
    const limit = this.deps.maxLines;
    // Build output is capped; Berth's own system lines always go through (the
    // reason a deployment failed must never be cut), and runtime output has its
    // own retention (trimmed, newest kept).
    if (limit !== undefined && stream === 'build') {
      if (this.written === limit) {
        this.written++;
        this.enqueue('system', `log limit reached (${limit} lines); further build output is not kept`, ts);
      }
      if (this.written > limit) {
        this.overLimit++;
        return;
      }
      this.written++;
    }
    this.enqueue(stream, line, ts);
  }

  private enqueue(stream: LogStream, line: string, ts: string): void {
    let text = line;
    for (const secret of this.deps.secrets ?? []) if (text.includes(secret)) text = text.split(secret).join(mask);
    this.pending.push({ stream, line: text, ts });
    if (this.pending.length >= (this.deps.maxBatch ?? 1000)) {
      void this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.deps.flushMs);
    }
  }

  system(line: string): void {
    this.write('system', line);
  }

  /** Resolves once everything written so far is stored and published (or given up). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) this.send(batch);
    return this.publishing;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private send(batch: Pending[]): void {
    const { redis, store, instance, deploymentId, logger } = this.deps;
    const deadline = Date.now() + (this.deps.retryForMs ?? 60_000);
    const lines = this.reserving.then(async () => {
      const last = await this.retry('reserving log sequence numbers', deadline, () =>
        redis.incrby(logSeqKey(instance, deploymentId), batch.length),
      );
      const first = last - batch.length + 1;
      return batch.map((p, i): LogLine => ({ seq: first + i, ts: p.ts, stream: p.stream, line: p.line }));
    });
    this.reserving = lines.catch(() => undefined); // a failed batch must not stall the next ones
    // Stored strictly one batch after another: a viewer reading history must
    // never find a later batch stored before an earlier one (it would skip the
    // hole and lose those lines). Same seqs on every retry; duplicates are ignored.
    const stored = (this.storing = this.storing.then(async () => {
      const l = await lines;
      await this.retry('storing log lines', deadline, () => store.appendLogs(deploymentId, l));
      return l;
    })) as Promise<LogLine[]>;
    this.storing = stored.catch(() => undefined);
    // Published in order too, each right after it is stored (overlapping the next batch's insert).
    this.publishing = this.publishing.then(async () => {
      try {
        const l = await stored;
        await redis
          .publish(eventsChannel(instance), encodeEvent({ type: 'log', deploymentId, lines: l }))
          .catch((err: unknown) =>
            logger.warn({ err, deploymentId }, 'publishing log lines failed; viewers refill from storage'),
          );
      } catch (err) {
        this.dropped += batch.length;
        logger.error({ err, deploymentId, lines: batch.length }, 'gave up on log lines');
      }
    });
  }

  private async retry<T>(what: string, deadline: number, action: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await action();
      } catch (err) {
        if (Date.now() >= deadline) throw err;
        this.deps.logger.warn({ err, deploymentId: this.deps.deploymentId, attempt }, `${what} failed; retrying`);
        await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 2000)));
      }
    }
  }
}
