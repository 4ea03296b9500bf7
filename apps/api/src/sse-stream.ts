import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BerthError } from '@berth/shared/errors';

/**
 * A hand-rolled Server-Sent Events response: headers that stop proxies from
 * buffering, heartbeats, and a bound on how far a slow client may fall behind.
 */
/** One SSE frame. JSON never contains a raw newline, so one data line is always enough. */
export function sseFrame(event: string, data: unknown, id?: string | number): string {
  return `event: ${event}\n${id !== undefined ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
}

/** Open streams of one app, by the token that opened them, so shutdown and revocation can end them. */
export class SseRegistry {
  private readonly open = new Map<SseStream, string>();
  private readonly perToken = new Map<string, number>();

  constructor(private readonly maxPerToken: number = Number.POSITIVE_INFINITY) {}

  /** Throws RATE_LIMITED when the token already has its share of open streams (checked before a stream opens). */
  assertRoom(tokenId: string): void {
    if ((this.perToken.get(tokenId) ?? 0) >= this.maxPerToken) {
      throw new BerthError(
        'RATE_LIMITED',
        `this token already has ${this.maxPerToken} open event streams; close one (or use GET /api/events for all deployments)`,
      );
    }
  }

  add(stream: SseStream, tokenId: string): void {
    this.open.set(stream, tokenId);
    this.perToken.set(tokenId, (this.perToken.get(tokenId) ?? 0) + 1);
    stream.onClose(() => {
      this.open.delete(stream);
      const left = (this.perToken.get(tokenId) ?? 1) - 1;
      if (left > 0) this.perToken.set(tokenId, left);
      else this.perToken.delete(tokenId);
    });
  }

  get size(): number {
    return this.open.size;
  }

  /** Tokens that have streams open now. */
  tokenIds(): string[] {
    return [...this.perToken.keys()];
  }

  /** Ends a token's streams (it was revoked); clients get `event: unauthorized` and must not reconnect with it. */
  endForToken(tokenId: string): void {
    for (const [stream, owner] of [...this.open]) {
      if (owner !== tokenId) continue;
      stream.send('unauthorized', { reason: 'the API token of this stream was revoked' });
      stream.end();
    }
  }

  /** Ends every stream; EventSource clients reconnect with Last-Event-ID (to another API). */
  endAll(): void {
    for (const stream of [...this.open.keys()]) {
      stream.send('shutdown', { reason: 'server restarting; reconnect with Last-Event-ID' });
      stream.end();
    }
  }
}

export class SseStream {
  private readonly raw: ServerResponse;
  private heartbeat: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly onCloseHandlers: (() => void)[] = [];

  constructor(
    request: FastifyRequest,
    reply: FastifyReply,
    private readonly options: { heartbeatMs: number; maxBufferBytes: number },
  ) {
    reply.hijack();
    this.raw = reply.raw;
    this.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    this.raw.write(': berth event stream\nretry: 2000\n\n');
    this.heartbeat = setInterval(() => this.comment('ping'), options.heartbeatMs);
    request.raw.on('close', () => this.close());
    this.raw.on('error', () => this.close());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  onClose(handler: () => void): void {
    if (this.closed) handler();
    else this.onCloseHandlers.push(handler);
  }

  send(event: string, data: unknown, id?: string | number): void {
    this.write(sseFrame(event, data, id));
  }

  /** Writes preformatted frames (one write for a whole batch of lines). */
  write(frames: string): void {
    if (this.closed) return;
    // Judged before writing: one big batch is fine, a client that never drains is not.
    if (this.raw.writableLength > this.options.maxBufferBytes) {
      this.raw.write(`event: overflow\ndata: ${JSON.stringify({ reason: 'client too slow; resume with Last-Event-ID' })}\n\n`);
      this.end();
      return;
    }
    this.raw.write(frames);
  }

  comment(text: string): void {
    if (!this.closed) this.raw.write(`: ${text}\n\n`);
  }

  end(): void {
    if (this.closed) return;
    this.raw.end();
    this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const handler of this.onCloseHandlers.splice(0)) handler();
  }
}
