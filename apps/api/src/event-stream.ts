import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiConfig } from './config.ts';
import { DeploymentEventStream, type DeploymentHistorySources } from './deployment-event-stream.ts';
import type { EventRelay } from './event-relay.ts';
import { sseFrame, SseStream, type SseRegistry } from './sse-stream.ts';

export interface EventStreamDeps extends DeploymentHistorySources {
  relay: Pick<EventRelay, 'subscribe'>;
  /** Open streams, so shutdown and token revocation can end them. */
  streams: SseRegistry;
  config: Pick<ApiConfig, 'SSE_HEARTBEAT_MS' | 'SSE_MAX_BUFFER_BYTES'>;
}

/** One deployment (seamless across reconnects), or every deployment live. */
export type EventScope = { deploymentId: string } | { global: true };

/** An SSE stream of log lines and status changes (see DeploymentEventStream for one deployment). */
export async function streamEvents(
  deps: EventStreamDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: EventScope,
): Promise<void> {
  const sse = openStream(deps, request, reply);
  if ('global' in scope) {
    streamAllLive(deps.relay, sse);
    return;
  }
  const stream = new DeploymentEventStream(deps, sse, scope.deploymentId, {
    resumeFrom: resumeFrom(request),
    followRuntime: (request.query as { follow?: string }).follow === 'runtime',
    log: request.log,
  });
  await stream.start(deps.relay);
}

/** Opens the response as an SSE stream, counted against the token's share (429 past it). */
function openStream(deps: EventStreamDeps, request: FastifyRequest, reply: FastifyReply): SseStream {
  const tokenId = request.token!.id;
  deps.streams.assertRoom(tokenId);
  const sse = new SseStream(request, reply, {
    heartbeatMs: deps.config.SSE_HEARTBEAT_MS,
    maxBufferBytes: deps.config.SSE_MAX_BUFFER_BYTES,
  });
  deps.streams.add(sse, tokenId);
  return sse;
}

/** All deployments, live only: each line's id names its deployment and seq. */
function streamAllLive(relay: Pick<EventRelay, 'subscribe'>, sse: SseStream): void {
  const unsubscribe = relay.subscribe(undefined, (event) => {
    if (event.type === 'status') sse.send('status', event);
    else sse.write(event.lines.map((l) => sseFrame('log', { deploymentId: event.deploymentId, ...l }, `${event.deploymentId}:${l.seq}`)).join(''));
  });
  sse.onClose(unsubscribe);
}

/** The last seq the client has: the Last-Event-ID header (sent by EventSource on reconnect), else `?since=`. */
function resumeFrom(request: FastifyRequest): number {
  const header = request.headers['last-event-id'];
  const query = (request.query as { since?: string }).since;
  const raw = (Array.isArray(header) ? header[0] : header) ?? query;
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : 0;
}
