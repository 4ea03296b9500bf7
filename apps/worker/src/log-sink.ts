import { encodeEvent } from '@berth/shared/events';
import { eventsChannel } from '@berth/shared/redis-keys';
import { cutLine, type LogLine, type LogStream } from '@berth/shared/log-line';
import { maskLine, windowCut } from './secret-masking.ts';
import { FollowerReplaced, LogSeqs } from './log-seqs.ts';
import type { Carry, LinePart, LogSinkOptions, Pending } from './log-sink-options.ts';

// Where the masking rules live; imported from here by tests that build a sink.
export { maskableSecrets } from './secret-masking.ts';
export type { LinePart, LogSinkOptions, LogSinkStore } from './log-sink-options.ts';

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
  /** Flushed lines waiting for the drain loop. */
  private queued: Pending[] = [];
  private draining: Promise<void> | undefined;
  private closed = false;
  /** Lines given up after retryForMs (kept for tests and metrics; should stay 0). */
  dropped = 0;
  /** Lines not kept because the deployment hit its log limit. */
  overLimit = 0;
  private written = 0;
  /** Per source, the end of a cut line held back until its next piece: where a secret may start. */
  private readonly carries = new Map<string, Carry>();
  /** How much of a cut line is held back: the longest secret's length minus one. */
  private readonly window: number;

  private readonly seqs: LogSeqs;

  constructor(private readonly deps: LogSinkOptions) {
    this.window = Math.max(0, ...(deps.secrets ?? []).map((s) => s.length - 1));
    this.seqs = new LogSeqs({ ...deps, lease: deps.follower });
  }

  /** Makes sure the seq counter is at least the highest stored seq (e.g. after Redis lost its data). */
  init(): Promise<void> {
    return this.seqs.init();
  }

  /**
   * The one place where a line of output (build, runtime or Berth's own)
   * becomes stored lines: secrets are masked first, then the line is cut to
   * maxLineLength. The other order would store a secret that straddles a cut
   * as two halves that no search for it finds. A line that came cut (`part`
   * says it continues: it had no newline yet) keeps its last `window`
   * characters back and puts them before its next piece, so a secret across
   * that cut is whole when it is looked for, and every character is stored once.
   */
  write(stream: LogStream, line: string, ts: string = new Date().toISOString(), part?: LinePart): void {
    if (this.closed) return;
    for (const piece of this.rows(stream, line, ts, part)) this.keep(stream, piece, ts);
  }

  /**
   * How many stored lines `write` makes of this line (it cuts long ones),
   * for a line already stored: it moves the window on as `write` did.
   */
  pieces(line: string, stream: LogStream = 'runtime', part?: LinePart): number {
    return this.rows(stream, line, new Date().toISOString(), part).length;
  }

  /** `line` with this deployment's secrets masked (also for text stored elsewhere, like an error message). */
  mask(line: string): string {
    return maskLine(line, this.deps.secrets ?? []);
  }

  private rows(stream: LogStream, line: string, ts: string, part: LinePart | undefined): string[] {
    if (!part) return cutLine(this.mask(line));
    const key = `${stream}/${part.source}`;
    const text = (this.carries.get(key)?.text ?? '') + line;
    this.carries.delete(key);
    if (!part.continues || this.window === 0) return cutLine(this.mask(text));
    const cut = windowCut(text, this.deps.secrets ?? [], this.window);
    if (cut < text.length) this.carries.set(key, { stream, text: text.slice(cut), ts });
    return cut === 0 ? [] : cutLine(this.mask(text.slice(0, cut)));
  }

  private keep(stream: LogStream, line: string, ts: string): void {
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
    this.pending.push({ stream, line, ts });
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
    if (this.pending.length > 0) {
      this.queued.push(...this.pending);
      this.pending = [];
    }
    this.draining ??= this.drain();
    return this.draining;
  }

  async close(): Promise<void> {
    // A source that ended in the middle of a line (its reader failed): what it held back is stored too.
    for (const { stream, text, ts } of this.carries.values()) for (const row of cutLine(this.mask(text))) this.keep(stream, row, ts);
    this.carries.clear();
    await this.flush();
    this.closed = true;
  }

  /**
   * One batch at a time: reserve its seq range, store it, publish it. Storing
   * strictly in order matters: a viewer reading history must never find a
   * later batch stored before an earlier one (it would skip the hole and lose
   * those lines). While one batch is stored, new lines pile up and go out
   * together as the next, bigger batch (group commit), so a busy build costs
   * fewer round trips instead of queueing more of them.
   */
  private async drain(): Promise<void> {
    const { redis, logs, instance, deploymentId, logger } = this.deps;
    const maxGroup = (this.deps.maxBatch ?? 1000) * 10;
    let lastPublish: Promise<unknown> = Promise.resolve();
    for (;;) {
      if (this.queued.length === 0) {
        await lastPublish;
        // Checked and cleared with no await in between: a flush() from now on starts a new drain.
        if (this.queued.length === 0) {
          this.draining = undefined;
          return;
        }
      }
      // A group is capped in lines and in bytes (~1 MB): Redis messages and SSE writes stay small.
      let count = 0;
      let bytes = 0;
      while (count < this.queued.length && count < maxGroup && bytes < 1024 * 1024) bytes += this.queued[count++]!.line.length + 64;
      const batch = this.queued.splice(0, count);
      const deadline = Date.now() + (this.deps.retryForMs ?? 60_000);
      try {
        const last = await this.retry('reserving log sequence numbers', deadline, () => this.seqs.reserve(batch.length));
        const first = last - batch.length + 1;
        const lines = batch.map((p, i): LogLine => ({ seq: first + i, ts: p.ts, stream: p.stream, line: p.line }));
        // Same seqs on every retry; rows already there are ignored.
        const stored = await this.retry('storing log lines', deadline, () => logs.append(deploymentId, lines, this.deps.follower?.token));
        if (stored === false) throw new FollowerReplaced(deploymentId);
        // Not awaited here: commands on one connection keep their order, so the
        // next batch's insert overlaps this publish.
        lastPublish = redis
          .publish(eventsChannel(instance), encodeEvent({ type: 'log', deploymentId, lines }))
          .catch((err: unknown) =>
            logger.warn({ err, deploymentId }, 'publishing log lines failed; viewers refill from storage'),
          );
      } catch (err) {
        if (err instanceof FollowerReplaced) this.replaced();
        else {
          this.dropped += batch.length;
          logger.error({ err, deploymentId, lines: batch.length }, 'gave up on log lines');
        }
      }
    }
  }

  /** Another worker follows the deployment now: what this sink holds is its successor's to read again. */
  private replaced(): void {
    this.closed = true;
    this.pending = [];
    this.queued = [];
    this.carries.clear();
    this.deps.follower?.onReplaced();
  }

  private async retry<T>(what: string, deadline: number, action: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await action();
      } catch (err) {
        if (Date.now() >= deadline || err instanceof FollowerReplaced) throw err;
        this.deps.logger.warn({ err, deploymentId: this.deps.deploymentId, attempt }, `${what} failed; retrying`);
        await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 2000)));
      }
    }
  }
}
