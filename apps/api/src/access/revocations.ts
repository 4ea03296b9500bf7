import { tokensChannel } from '@berth/shared/redis-keys';
import type { Logger } from '@berth/shared/logger';
import type { Redis } from '@berth/shared/redis';
import type { EventRelay } from '../event-relay.ts';
import type { OpenStreams } from '../sse/open-streams.ts';
import type { TerminalSessions } from '../terminal/terminal-sessions.ts';
import type { TokenCache } from '../token-cache.ts';

export interface Revocations {
  /** A credential was revoked: dropped here (its open streams ended) and announced to every other API process. */
  forgetToken(tokenId: string): Promise<void>;
  /** A person's rights changed (disabled, role, membership): their tokens are read again here and on every other API process. */
  forgetOwner(userId: string): Promise<void>;
  /** Stops hearing the other processes' notices. */
  stop(): void;
}

/** How long an announcement may take before the request goes on without it (Redis away: see below). */
const announceTimeoutMs = 1000;

/**
 * What keeps the token cache honest across API processes. Every change is
 * applied here, then announced over Redis pub/sub (the tokens channel) and
 * awaited, so when the request that made it answers, Redis has handed the
 * notice to every other API: a next request to another process is refused.
 * While this process's subscription is down it cannot hear notices, so its
 * cache is emptied and not trusted until the subscription is back (every
 * check reads the database meanwhile). An announcement that fails leaves the
 * other processes at TOKEN_RECHECK_MS, the bound for changes made straight
 * in the database too; it is logged.
 */
export function wireRevocations(deps: {
  tokens: Pick<TokenCache, 'forget' | 'forgetOwner' | 'forgetAll' | 'trustOnlyWhile'>;
  streams: Pick<OpenStreams, 'endForToken'>;
  /** Open terminals: a revoked credential's end, and a person's whose rights changed. */
  terminals: Pick<TerminalSessions, 'endForCredential' | 'endForPerson'>;
  relay: Pick<EventRelay, 'live' | 'onLiveness' | 'onTokenRevoked' | 'onOwnerChanged'>;
  redis: Pick<Redis, 'publish'>;
  instance: string;
  logger: Logger;
}): Revocations {
  const { tokens, streams, relay, terminals } = deps;
  const dropToken = (tokenId: string) => {
    tokens.forget(tokenId);
    streams.endForToken(tokenId);
    terminals.endForCredential(tokenId);
  };
  const ownerChanged = (userId: string) => {
    tokens.forgetOwner(userId);
    terminals.endForPerson(userId);
  };
  const announce = async (notice: string) => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no answer from Redis')), announceTimeoutMs)));
    try {
      await Promise.race([deps.redis.publish(tokensChannel(deps.instance), notice), late]);
    } catch (err) {
      deps.logger.warn({ err, notice }, 'could not announce a credential change to the other API processes (they see it within TOKEN_RECHECK_MS)');
    } finally {
      clearTimeout(timer);
    }
  };
  tokens.trustOnlyWhile(() => relay.live);
  const stops = [
    relay.onTokenRevoked(dropToken),
    relay.onOwnerChanged(ownerChanged),
    relay.onLiveness((live) => live || tokens.forgetAll()),
  ];
  return {
    async forgetToken(tokenId) {
      dropToken(tokenId);
      await announce(tokenId);
    },
    async forgetOwner(userId) {
      ownerChanged(userId);
      await announce(`user:${userId}`);
    },
    stop: () => stops.forEach((stop) => stop()),
  };
}
