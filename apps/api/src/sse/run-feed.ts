import type { FastifyBaseLogger } from 'fastify';
import type { BerthEvent } from '@berth/shared/events';
import type { LogLine } from '@berth/shared/log-line';
import type { RunLogStore } from '@berth/shared/run-log-store';
import { isFinalRun, runView, type RunStore } from '@berth/shared/run-store';
import type { EventRelay } from '../event-relay.ts';
import { sseFrame, type SseResponse } from './sse-response.ts';

export interface RunFeedSources {
  runs: Pick<RunStore, 'get'>;
  runLogs: Pick<RunLogStore, 'read'>;
}

const historyPage = 1000;
/** How often the run's row is read for its status (workers publish a run's lines, not its status). */
const statusPollMs = 500;

/**
 * One viewer's stream of one run: its log lines exactly once and in order (subscribe first, replay
 * stored lines after the client's last id, then pass live batches on, skipping lines already sent
 * and filling a gap from storage, as DeploymentFeed does), its status as it changes, and `end`
 * (status, exit code, last seq) once the run is over.
 */
export class RunFeed {
  private lastSeq: number;
  private lastStatus = '';
  private chain: Promise<void>;
  private openGate!: () => void;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sources: RunFeedSources,
    private readonly sse: SseResponse,
    private readonly runId: string,
    options: { resumeFrom: number; log: FastifyBaseLogger },
    private readonly log = options.log,
  ) {
    this.lastSeq = options.resumeFrom;
    this.chain = new Promise<void>((resolve) => (this.openGate = resolve));
  }

  async start(relay: Pick<EventRelay, 'subscribe'>): Promise<void> {
    const unsubscribe = relay.subscribe(this.runId, (event) => this.then(() => this.handle(event)));
    this.sse.onClose(() => {
      unsubscribe();
      clearInterval(this.timer);
    });
    this.then(() => this.checkStatus());
    this.timer = setInterval(() => this.then(() => this.checkStatus()), statusPollMs);
    try {
      await this.replay();
    } finally {
      this.openGate();
    }
  }

  /** One step at a time, in order; a failure ends the stream (the client reconnects with Last-Event-ID). */
  private then(step: () => Promise<void>): void {
    this.chain = this.chain
      .then(() => (this.sse.isClosed ? undefined : step()))
      .catch((err: unknown) => {
        this.log.error({ err, runId: this.runId }, 'run event stream failed');
        this.sse.end();
      });
  }

  private async handle(event: BerthEvent): Promise<void> {
    if (event.type !== 'log') return;
    const first = event.lines[0];
    if (first && first.seq > this.lastSeq + 1) await this.replay(first.seq);
    this.sendLines(event.lines);
  }

  private async checkStatus(): Promise<void> {
    const row = await this.sources.runs.get(this.runId);
    if (!row) return this.sse.end();
    if (row.status !== this.lastStatus) {
      this.lastStatus = row.status;
      this.sse.send('status', runView(row));
    }
    if (!isFinalRun(row.status)) return;
    // The worker stores every line before it records the end: what is stored now is all of it.
    await this.replay();
    this.sse.send('end', { runId: this.runId, status: row.status, exitCode: row.exit_code, errorCode: row.error_code, lastSeq: this.lastSeq });
    this.sse.end();
  }

  private sendLines(lines: readonly LogLine[]): void {
    let frames = '';
    for (const line of lines) {
      if (line.seq <= this.lastSeq) continue;
      frames += sseFrame('log', { runId: this.runId, ...line }, line.seq);
      this.lastSeq = line.seq;
    }
    if (frames) this.sse.write(frames);
  }

  /** Stored lines after the last one sent, up to (not including) `untilSeq`. */
  private async replay(untilSeq = Number.POSITIVE_INFINITY): Promise<void> {
    for (;;) {
      const lines = await this.sources.runLogs.read(this.runId, { afterSeq: this.lastSeq, limit: historyPage });
      this.sendLines(lines.filter((l) => l.seq < untilSeq));
      if (lines.length < historyPage || this.sse.isClosed || this.lastSeq >= untilSeq - 1) return;
    }
  }
}
