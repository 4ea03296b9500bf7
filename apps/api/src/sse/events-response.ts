import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiConfig } from '../config.ts';
import { DeploymentFeed, type DeploymentHistorySources } from './deployment-feed.ts';
import type { EventRelay } from '../event-relay.ts';
import type { OpenStreams } from './open-streams.ts';
import { sseFrame, SseResponse } from './sse-response.ts';
import type { BerthEvent } from '@berth/shared/events';

export interface EventsResponseDeps extends DeploymentHistorySources {
  relay: Pick<EventRelay, 'subscribe'>;
  /** Open streams, so shutdown and token revocation can end them. */
  streams: OpenStreams;
  config: Pick<ApiConfig, 'SSE_HEARTBEAT_MS' | 'SSE_MAX_BUFFER_BYTES'>;
}

/** One deployment (seamless across reconnects), or every deployment live. */
export type EventScope =
  | { deploymentId: string }
  /** `shows`: whether this caller may see a deployment's events (absent: every deployment's). */
  | { global: true; shows?: (deploymentId: string) => Promise<boolean> };

/**
 * Answers an events request: opens the response as an SSE stream (counted
 * against the token's share) and streams the scope's log lines and status
 * changes (one deployment: a DeploymentFeed).
 */
export async function answerWithEvents(
  deps: EventsResponseDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: EventScope,
): Promise<void> {
  const sse = openStream(deps, request, reply);
  if ('global' in scope) {
    streamAllLive(deps.relay, sse, scope.shows);
    return;
  }
  const stream = new DeploymentFeed(deps, sse, scope.deploymentId, {
    resumeFrom: resumeFrom(request),
    followRuntime: (request.query as { follow?: string }).follow === 'runtime',
    log: request.log,
  });
  await stream.start(deps.relay);
}

/** Opens the response as an SSE stream, counted against the token's share (429 past it). */
export function openStream(deps: Pick<EventsResponseDeps, 'streams' | 'config'>, request: FastifyRequest, reply: FastifyReply): SseResponse {
  const tokenId = request.credentialKey!;
  deps.streams.assertRoom(tokenId);
  const sse = new SseResponse(request, reply, {
    heartbeatMs: deps.config.SSE_HEARTBEAT_MS,
    maxBufferBytes: deps.config.SSE_MAX_BUFFER_BYTES,
  });
  deps.streams.add(sse, tokenId);
  return sse;
}

/** All deployments, live only: each line's id names its deployment and seq. */
function streamAllLive(relay: Pick<EventRelay, 'subscribe'>, sse: SseResponse, shows?: (deploymentId: string) => Promise<boolean>): void {
  const send = (event: BerthEvent) => {
    if (event.type === 'status') sse.send('status', event);
    else sse.write(event.lines.map((l) => sseFrame('log', { deploymentId: event.deploymentId, ...l }, `${event.deploymentId}:${l.seq}`)).join(''));
  };
  // Filtered: each event waits for the one before it (a lookup may take a moment), so the order stays the relay's.
  let previous = Promise.resolve();
  const unsubscribe = relay.subscribe(undefined, (event) => {
    if (!shows) return send(event);
    previous = previous
      .then(() => shows(event.deploymentId))
      .then((visible) => (visible ? send(event) : undefined))
      .catch(() => sse.end());
  });
  sse.onClose(unsubscribe);
}

/** The last seq the client has: the Last-Event-ID header (sent by EventSource on reconnect), else `?since=`. */
export function resumeFrom(request: FastifyRequest): number {
  const header = request.headers['last-event-id'];
  const query = (request.query as { since?: string }).since;
  const raw = (Array.isArray(header) ? header[0] : header) ?? query;
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : 0;
}
