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

/**
 * Collects one deployment's log lines and flushes them in batches: a batch
 * gets its range of sequence numbers from one Redis INCRBY (so numbering
 * continues across workers and retries), is written to Postgres, and only
 * then published. Persisting before publishing is what lets a viewer that
 * subscribes, then reads history, miss nothing at the seam.
 */
export class LogSink {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly deps: {
      redis: Redis;
      store: DeploymentStore;
      instance: string;
      deploymentId: string;
      flushMs: number;
      maxBatch?: number;
      logger: Logger;
    },
  ) {}

  /** Makes sure the counter is at least the highest stored seq (e.g. after Redis lost its data). */
  async init(): Promise<void> {
    const last = await this.deps.store.maxLogSeq(this.deps.deploymentId);
    await this.deps.redis.set(logSeqKey(this.deps.instance, this.deps.deploymentId), String(last), 'NX');
  }

  write(stream: LogStream, line: string): void {
    if (this.closed) return;
    this.pending.push({ stream, line, ts: new Date().toISOString() });
    if (this.pending.length >= (this.deps.maxBatch ?? 1000)) {
      void this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.deps.flushMs);
    }
  }

  system(line: string): void {
    this.write('system', line);
  }

  /** Resolves once everything written so far is stored and published. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) this.chain = this.chain.then(() => this.publish(batch));
    return this.chain;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private async publish(batch: Pending[]): Promise<void> {
    const { redis, store, instance, deploymentId, logger } = this.deps;
    const last = await redis.incrby(logSeqKey(instance, deploymentId), batch.length);
    const first = last - batch.length + 1;
    const lines: LogLine[] = batch.map((p, i) => ({ seq: first + i, ts: p.ts, stream: p.stream, line: p.line }));
    for (let attempt = 0; ; attempt++) {
      try {
        await store.appendLogs(deploymentId, lines);
        break;
      } catch (err) {
        // Postgres briefly away: keep the batch (same seqs, idempotent insert) and retry.
        if (attempt >= 50) throw err;
        logger.warn({ err, deploymentId, attempt }, 'storing log lines failed; retrying');
        await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 2000)));
      }
    }
    await redis.publish(eventsChannel(instance), encodeEvent({ type: 'log', deploymentId, lines }));
  }
}
