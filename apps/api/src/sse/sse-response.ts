import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A hand-rolled Server-Sent Events response: headers that stop proxies from
 * buffering, heartbeats, and a bound on how far a slow client may fall behind.
 */
/** One SSE frame. JSON never contains a raw newline, so one data line is always enough. */
export function sseFrame(event: string, data: unknown, id?: string | number): string {
  return `event: ${event}\n${id !== undefined ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
}

/** One open Server-Sent Events response (the request's reply, hijacked). */
export class SseResponse {
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
    this.raw.on('close', () => this.close());
    this.raw.on('error', () => this.close());
    // The client may have gone while the request was authorised and looked up: its 'close' came before these listeners.
    if (request.raw.destroyed || this.raw.destroyed || this.raw.socket?.destroyed === true) this.close();
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
