import type { FastifyReply, FastifyRequest } from 'fastify';
import { isFinal, type DeploymentStatus } from '@berth/shared/deployment-state';
import { statusEvent, type BerthEvent, type LogBatchEvent, type StatusEvent } from '@berth/shared/events';
import type { LogLine } from '@berth/shared/log-line';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import type { ApiConfig } from './config.ts';
import type { EventRelay } from './event-relay.ts';
import { sseFrame, SseStream, type SseRegistry } from './sse-stream.ts';

const historyPage = 1000;

export interface EventStreamDeps {
  store: Pick<DeploymentStore, 'get' | 'logs' | 'transitions'>;
  relay: Pick<EventRelay, 'subscribe'>;
  /** Open streams, so shutdown and token revocation can end them. */
  streams: SseRegistry;
  config: Pick<ApiConfig, 'SSE_HEARTBEAT_MS' | 'SSE_MAX_BUFFER_BYTES'>;
}

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
/** Live batches a viewer may have waiting before it is told to reconnect. */
const maxQueuedBatches = 5000;

function resumeFrom(request: FastifyRequest): number {
  const header = request.headers['last-event-id'];
  const query = (request.query as { since?: string }).since;
  const raw = (Array.isArray(header) ? header[0] : header) ?? query;
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/**
 * An SSE stream of log lines and status changes. For one deployment it is
 * seamless: subscribe first, replay stored lines after the client's last id,
 * then pass live lines on, skipping any already sent and filling any gap
 * (a lost pub/sub message) from storage, so each line arrives once, in order.
 */
export async function streamEvents(
  deps: EventStreamDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: { deploymentId?: string | undefined; global?: boolean },
): Promise<void> {
  const { store, relay, config, streams: registry } = deps;
  const tokenId = request.token!.id;
  registry.assertRoom(tokenId);
  const sse = new SseStream(request, reply, {
    heartbeatMs: config.SSE_HEARTBEAT_MS,
    maxBufferBytes: config.SSE_MAX_BUFFER_BYTES,
  });
  registry.add(sse, tokenId);

  if (scope.global) {
    // All deployments, live only: each line's id names its deployment and seq.
    const unsubscribe = relay.subscribe(undefined, (event) => {
      if (event.type === 'status') sse.send('status', event);
      else sse.write(event.lines.map((l) => sseFrame('log', { deploymentId: event.deploymentId, ...l }, `${event.deploymentId}:${l.seq}`)).join(''));
    });
    sse.onClose(unsubscribe);
    return;
  }

  const deploymentId = scope.deploymentId!;
  // By default the stream is about getting live: it ends once the deployment
  // runs or ends. `?follow=runtime` keeps it open for runtime output until it stops.
  const followRuntime = (request.query as { follow?: string }).follow === 'runtime';
  const endsStream = (status: DeploymentStatus) => isFinal(status) || (!followRuntime && status === 'running');
  let lastSeq = resumeFrom(request);
  const resuming = lastSeq > 0;
  // Status events have no seq; their time orders them (history and live may overlap).
  let lastStatusAt = '';
  const sendStatus = (event: StatusEvent) => {
    if (event.at <= lastStatusAt) return;
    lastStatusAt = event.at;
    sse.send('status', event);
  };
  let queued = 0;
  let chain: Promise<void> = Promise.resolve();
  const sendLines = (lines: readonly LogLine[]) => {
    let frames = '';
    for (const line of lines) {
      if (line.seq <= lastSeq) continue;
      frames += sseFrame('log', { deploymentId, ...line }, line.seq);
      lastSeq = line.seq;
    }
    if (frames) sse.write(frames);
  };
  const sendBatch = (event: LogBatchEvent) => {
    const first = event.lines[0];
    const last = event.lines.at(-1);
    if (!first || !last) return;
    if (first.seq === lastSeq + 1) {
      // The usual case: every viewer in step shares one formatted copy of the batch.
      sse.write(batchFrames(event));
      lastSeq = last.seq;
    } else {
      sendLines(event.lines);
    }
  };
  const replay = async (untilSeq = Number.POSITIVE_INFINITY) => {
    for (;;) {
      const lines = await store.logs(deploymentId, { afterSeq: lastSeq, limit: historyPage });
      sendLines(lines.filter((l) => l.seq < untilSeq));
      if (lines.length < historyPage || sse.isClosed || lastSeq >= untilSeq - 1) return;
    }
  };
  const handle = async (event: BerthEvent) => {
    if (sse.isClosed) return;
    if (event.type === 'log') {
      const first = event.lines[0];
      if (first && first.seq > lastSeq + 1) await replay(first.seq);
      sendBatch(event);
    } else {
      sendStatus(event);
      if (endsStream(event.status)) {
        await replay();
        sse.send('end', { deploymentId, status: event.status, lastSeq });
        sse.end();
      }
    }
  };
  const enqueue = (event: BerthEvent) => {
    if (sse.isClosed) return;
    if (++queued > maxQueuedBatches) {
      // Far behind (storage slow, client slow): tell it where to resume and let it reconnect.
      sse.send('overflow', { reason: 'viewer fell too far behind; reconnect with Last-Event-ID', lastSeq });
      sse.end();
      return;
    }
    chain = chain
      .then(() => handle(event))
      .catch((err: unknown) => {
        request.log.error({ err, deploymentId }, 'event stream failed');
        sse.end();
      })
      .finally(() => queued--);
  };

  // Subscribe before reading history; events arriving meanwhile wait in the chain.
  let gate!: () => void;
  chain = new Promise<void>((resolve) => (gate = resolve));
  const unsubscribe = relay.subscribe(deploymentId, enqueue);
  sse.onClose(unsubscribe);
  try {
    if (!resuming) {
      // A new viewer gets the whole timeline first: queued → … → now.
      for (const t of await store.transitions(deploymentId)) {
        sendStatus({ type: 'status', deploymentId, status: t.status, errorCode: t.errorCode, errorMessage: t.errorMessage, at: t.at.toISOString() });
      }
    }
    await replay();
    const row = await store.get(deploymentId);
    if (row) {
      sendStatus(statusEvent(row));
      if (endsStream(row.status)) {
        await replay();
        sse.send('end', { deploymentId, status: row.status, lastSeq });
        sse.end();
      }
    }
  } catch (err) {
    request.log.error({ err, deploymentId }, 'replaying history failed');
    sse.end();
  } finally {
    gate();
  }
}
