import type { FastifyBaseLogger } from 'fastify';
import { isFinal, type DeploymentStatus } from '@berth/shared/deployment-state';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import type { LogStore } from '@berth/shared/log-store';
import type { TransitionHistory } from '@berth/shared/transition-history';
import { statusEvent, type BerthEvent, type LogBatchEvent, type StatusEvent } from '@berth/shared/events';
import type { LogLine } from '@berth/shared/log-line';
import type { EventRelay } from '../event-relay.ts';
import { sseFrame, type SseResponse } from './sse-response.ts';

/** What a viewer's history is read from: the deployment, its status changes, its stored lines. */
export interface DeploymentHistorySources {
  store: Pick<DeploymentStore, 'get'>;
  history: Pick<TransitionHistory, 'list'>;
  logs: Pick<LogStore, 'read'>;
}

const historyPage = 1000;
/** Live batches a viewer may have waiting before it is told to reconnect. */
const maxQueuedBatches = 5000;
/**
 * How long a gap before a live batch is looked for in storage: two writers of
 * one deployment's log (the deploying worker's and the following worker's)
 * number from one counter but store apart, so a later batch can arrive
 * before an earlier one is stored. Past this, the gap is taken as lines that
 * will never be stored (a killed writer's reserved seqs).
 */
export const gapWaitMs = 2000;
const gapPollMs = 50;

const formatted = new WeakMap<LogBatchEvent, string>();
/** SSE frames of a whole batch, formatted once however many viewers send it. */
function batchFrames(event: LogBatchEvent): string {
  let frames = formatted.get(event);
  if (frames === undefined) {
    frames = '';
    for (const line of event.lines) frames += sseFrame('log', { deploymentId: event.deploymentId, ...line }, line.seq);
    formatted.set(event, frames);
  }
  return frames;
}

export interface DeploymentFeedOptions {
  /** The last seq the client has (Last-Event-ID); 0 for a new viewer. */
  resumeFrom: number;
  /** Keep streaming runtime output while the deployment runs, instead of ending once it is live. */
  followRuntime: boolean;
  log: FastifyBaseLogger;
}

/**
 * One viewer's stream of one deployment's log lines and status changes. It is
 * seamless: subscribe first, replay stored lines after the client's last id,
 * then pass live lines on, skipping any already sent and filling any gap (a
 * lost pub/sub message) from storage, so each line arrives once, in order.
 */
export class DeploymentFeed {
  private lastSeq: number;
  /** Status events have no seq; their time orders them (history and live may overlap). */
  private lastStatusAt = '';
  /** Live events, handled one at a time in arrival order; closed by a gate until history is sent. */
  private chain: Promise<void>;
  private queued = 0;
  private openGate!: () => void;

  constructor(
    private readonly sources: DeploymentHistorySources,
    private readonly sse: SseResponse,
    private readonly deploymentId: string,
    private readonly options: DeploymentFeedOptions,
  ) {
    this.lastSeq = options.resumeFrom;
    this.chain = new Promise<void>((resolve) => (this.openGate = resolve));
  }

  /** Subscribe before reading history; events arriving meanwhile wait in the chain until it is sent. */
  async start(relay: Pick<EventRelay, 'subscribe'>): Promise<void> {
    // The viewer left before its stream opened (it waited on the token check, the lookup): no history to read for it.
    if (this.sse.isClosed) return;
    const unsubscribe = relay.subscribe(this.deploymentId, (event) => this.enqueue(event));
    this.sse.onClose(unsubscribe);
    try {
      await this.sendHistory();
    } catch (err) {
      this.options.log.error({ err, deploymentId: this.deploymentId }, 'replaying history failed');
      this.sse.end();
    } finally {
      this.openGate();
    }
  }

  private async sendHistory(): Promise<void> {
    const { deploymentId } = this;
    if (this.options.resumeFrom === 0) {
      // A new viewer gets the whole timeline first: queued → … → now.
      for (const t of await this.sources.history.list(deploymentId)) {
        this.sendStatus({ type: 'status', deploymentId, status: t.status, errorCode: t.errorCode, errorMessage: t.errorMessage, at: t.at.toISOString() });
      }
    }
    await this.replay();
    const row = await this.sources.store.get(deploymentId);
    if (row) {
      this.sendStatus(statusEvent(row));
      if (this.endsStream(row.status)) await this.finish(row.status);
    }
  }

  /**
   * By default the stream is about getting live: it ends once the deployment
   * runs or ends. Following runtime output keeps it open until it stops.
   */
  private endsStream(status: DeploymentStatus): boolean {
    return isFinal(status) || (!this.options.followRuntime && status === 'running');
  }

  /** Sends whatever is stored up to the end, then `end`, and closes. */
  private async finish(status: DeploymentStatus): Promise<void> {
    await this.replay();
    this.sse.send('end', { deploymentId: this.deploymentId, status, lastSeq: this.lastSeq });
    this.sse.end();
  }

  private enqueue(event: BerthEvent): void {
    if (this.sse.isClosed) return;
    if (++this.queued > maxQueuedBatches) {
      // Far behind (storage slow, client slow): tell it where to resume and let it reconnect.
      this.sse.send('overflow', { reason: 'viewer fell too far behind; reconnect with Last-Event-ID', lastSeq: this.lastSeq });
      this.sse.end();
      return;
    }
    this.chain = this.chain
      .then(() => this.handle(event))
      .catch((err: unknown) => {
        this.options.log.error({ err, deploymentId: this.deploymentId }, 'event stream failed');
        this.sse.end();
      })
      .finally(() => this.queued--);
  }

  private async handle(event: BerthEvent): Promise<void> {
    if (this.sse.isClosed) return;
    if (event.type === 'log') {
      const first = event.lines[0];
      if (first && first.seq > this.lastSeq + 1) await this.fillGap(first.seq);
      this.sendBatch(event);
    } else {
      this.sendStatus(event);
      if (this.endsStream(event.status)) await this.finish(event.status);
    }
  }

  private sendStatus(event: StatusEvent): void {
    if (event.at <= this.lastStatusAt) return;
    this.lastStatusAt = event.at;
    this.sse.send('status', event);
  }

  private sendBatch(event: LogBatchEvent): void {
    const first = event.lines[0];
    const last = event.lines.at(-1);
    if (!first || !last) return;
    if (first.seq === this.lastSeq + 1) {
      // The usual case: every viewer in step shares one formatted copy of the batch.
      this.sse.write(batchFrames(event));
      this.lastSeq = last.seq;
    } else {
      this.sendLines(event.lines);
    }
  }

  private sendLines(lines: readonly LogLine[]): void {
    let frames = '';
    for (const line of lines) {
      if (line.seq <= this.lastSeq) continue;
      frames += sseFrame('log', { deploymentId: this.deploymentId, ...line }, line.seq);
      this.lastSeq = line.seq;
    }
    if (frames) this.sse.write(frames);
  }

  /** Stored lines before `untilSeq`, looked for again for up to gapWaitMs while some are missing. */
  private async fillGap(untilSeq: number): Promise<void> {
    const deadline = Date.now() + gapWaitMs;
    for (;;) {
      await this.replay(untilSeq);
      if (this.lastSeq >= untilSeq - 1 || this.sse.isClosed || Date.now() >= deadline) return;
      await new Promise((r) => setTimeout(r, gapPollMs));
    }
  }

  /** Stored lines after the last one sent, up to (not including) `untilSeq`. */
  private async replay(untilSeq = Number.POSITIVE_INFINITY): Promise<void> {
    for (;;) {
      const lines = await this.sources.logs.read(this.deploymentId, { afterSeq: this.lastSeq, limit: historyPage });
      this.sendLines(lines.filter((l) => l.seq < untilSeq));
      if (lines.length < historyPage || this.sse.isClosed || this.lastSeq >= untilSeq - 1) return;
    }
  }
}
