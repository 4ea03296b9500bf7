import { BerthError } from '@berth/shared/errors';

/** Why a session is ended from outside: the API shuts down, or the credential or person that opened it lost its rights. */
export type EndReason = 'shutdown' | 'revoked';

export interface ClosableSession {
  end(reason: EndReason): void;
}

/** Who opened a session: the owner it is counted under, the credential it was opened with, and its person if any. */
export interface SessionOpener {
  owner: string;
  credentialKey: string;
  personId?: string | undefined;
}

/**
 * The open terminal sessions of this API process, counted per person (or per
 * credential for tokens without an owner, and deploy keys): at most
 * MAX_TERMINAL_SESSIONS_PER_USER each and MAX_TERMINAL_SESSIONS in all (each
 * holds a connection to dockerd and a process in an app; 429
 * TOO_MANY_TERMINALS past either); every
 * one ended when the API shuts down, and those of a revoked credential or of
 * a person whose rights changed when that happens (access/revocations.ts).
 */
export class TerminalSessions {
  private readonly byOwner = new Map<string, Set<ClosableSession>>();
  private readonly openers = new Map<ClosableSession, SessionOpener>();

  constructor(
    private readonly maxPerOwner: number,
    private readonly maxInAll = Number.POSITIVE_INFINITY,
  ) {}

  /** Throws 429 TOO_MANY_TERMINALS when the owner, or this process, has no room for another session. */
  assertRoom(owner: string): void {
    if (this.openers.size >= this.maxInAll) {
      throw new BerthError('TOO_MANY_TERMINALS', `this API process has ${this.maxInAll} terminal sessions open (MAX_TERMINAL_SESSIONS); try again when one ends`);
    }
    if ((this.byOwner.get(owner)?.size ?? 0) >= this.maxPerOwner) {
      throw new BerthError('TOO_MANY_TERMINALS', `you have ${this.maxPerOwner} terminal sessions open already (MAX_TERMINAL_SESSIONS_PER_USER); close one first`);
    }
  }

  /** Counts a session in (throws like assertRoom); the returned function counts it out (idempotent). */
  add(opener: SessionOpener, session: ClosableSession): () => void {
    const { owner } = opener;
    this.assertRoom(owner);
    const sessions = this.byOwner.get(owner) ?? new Set();
    sessions.add(session);
    this.byOwner.set(owner, sessions);
    this.openers.set(session, opener);
    return () => {
      sessions.delete(session);
      this.openers.delete(session);
      if (sessions.size === 0 && this.byOwner.get(owner) === sessions) this.byOwner.delete(owner);
    };
  }

  get size(): number {
    return this.openers.size;
  }

  /** A credential was revoked: the sessions it opened end. */
  endForCredential(credentialKey: string): void {
    this.endWhere((opener) => opener.credentialKey === credentialKey, 'revoked');
  }

  /** A person's rights changed (disabled, role, membership): their sessions end (they may open new ones if they still can). */
  endForPerson(personId: string): void {
    this.endWhere((opener) => opener.personId === personId, 'revoked');
  }

  endAll(): void {
    this.endWhere(() => true, 'shutdown');
  }

  private endWhere(matches: (opener: SessionOpener) => boolean, reason: EndReason): void {
    for (const [session, opener] of [...this.openers]) if (matches(opener)) session.end(reason);
  }
}
