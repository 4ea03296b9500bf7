import { BerthError } from '@berth/shared/errors';
import type { SseResponse } from './sse-response.ts';

/** Open streams of one app, by the token that opened them, so shutdown and revocation can end them. */
export class OpenStreams {
  private readonly open = new Map<SseResponse, string>();
  private readonly perToken = new Map<string, number>();
  /** Work done only while a stream is open (whileOpen), and how to stop it while it runs. */
  private watcher: { start: () => () => void; stop: (() => void) | undefined } | undefined;

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
    if (this.watcher && !this.watcher.stop) this.watcher.stop = this.watcher.start();
    stream.onClose(() => {
      this.open.delete(stream);
      const left = (this.perToken.get(tokenId) ?? 1) - 1;
      if (left > 0) this.perToken.set(tokenId, left);
      else this.perToken.delete(tokenId);
      if (this.open.size === 0) this.stopWatcher();
    });
  }

  /**
   * Runs `start` while any stream is open: when the first one opens, and
   * what it returned when the last one closes. An idle API has no timer
   * for streams it does not have (bench:idle: its wake-ups a second).
   */
  whileOpen(start: () => () => void): void {
    this.watcher = { start, stop: this.open.size > 0 ? start() : undefined };
  }

  private stopWatcher(): void {
    this.watcher?.stop?.();
    if (this.watcher) this.watcher.stop = undefined;
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

  /** Ends every stream, and the work done while one is open; EventSource clients reconnect with Last-Event-ID (to another API). */
  endAll(): void {
    this.stopWatcher();
    this.watcher = undefined;
    for (const stream of [...this.open.keys()]) {
      stream.send('shutdown', { reason: 'server restarting; reconnect with Last-Event-ID' });
      stream.end();
    }
  }
}
