import { BerthError } from '@berth/shared/errors';
import type { SseResponse } from './sse-response.ts';

/** Open streams of one app, by the token that opened them, so shutdown and revocation can end them. */
export class OpenStreams {
  private readonly open = new Map<SseResponse, string>();
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

  add(stream: SseResponse, tokenId: string): void {
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
