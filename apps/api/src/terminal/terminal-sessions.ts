import { BerthError } from '@berth/shared/errors';

/** What a session can be told when the API shuts down. */
export interface ClosableSession {
  end(reason: 'shutdown'): void;
}

/**
 * The open terminal sessions of this API process, counted per person (or per
 * credential for tokens without an owner, and deploy keys): at most
 * MAX_TERMINAL_SESSIONS_PER_USER each (429 TOO_MANY_TERMINALS past it), and
 * every one ended when the API shuts down.
 */
export class TerminalSessions {
  private readonly byOwner = new Map<string, Set<ClosableSession>>();

  constructor(private readonly maxPerOwner: number) {}

  /** Throws 429 TOO_MANY_TERMINALS when the owner has no room for another session. */
  assertRoom(owner: string): void {
    if ((this.byOwner.get(owner)?.size ?? 0) >= this.maxPerOwner) {
      throw new BerthError('TOO_MANY_TERMINALS', `you have ${this.maxPerOwner} terminal sessions open already (MAX_TERMINAL_SESSIONS_PER_USER); close one first`);
    }
  }

  /** Counts a session in (throws like assertRoom); the returned function counts it out (idempotent). */
  add(owner: string, session: ClosableSession): () => void {
    this.assertRoom(owner);
    const sessions = this.byOwner.get(owner) ?? new Set();
    sessions.add(session);
    this.byOwner.set(owner, sessions);
    return () => {
      sessions.delete(session);
      if (sessions.size === 0 && this.byOwner.get(owner) === sessions) this.byOwner.delete(owner);
    };
  }

  get size(): number {
    let total = 0;
    for (const sessions of this.byOwner.values()) total += sessions.size;
    return total;
  }

  endAll(): void {
    for (const sessions of [...this.byOwner.values()]) for (const session of [...sessions]) session.end('shutdown');
  }
}
