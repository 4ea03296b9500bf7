import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { Db } from '../db.ts';
import { hashToken } from '../token-store.ts';
import type { SessionsTable, UserRow } from './tables.ts';

type SessionsTableRow = Selectable<SessionsTable>;

/** The cookie that carries a session's secret (httpOnly, SameSite=Lax, Secure over HTTPS). */
export const sessionCookieName = 'berth_session';

export interface SessionTimes {
  /** A session nobody used for this long ends. */
  idleMs: number;
  /** A session ends this long after sign-in, used or not. */
  absoluteMs: number;
  /** last_seen_at is written at most this often (not on every request: bench:api). */
  touchEveryMs: number;
}

export const defaultSessionTimes: SessionTimes = { idleMs: 12 * 3600_000, absoluteMs: 7 * 24 * 3600_000, touchEveryMs: 60_000 };

/** The times an operator set (SESSION_IDLE_MS, SESSION_MAX_MS); last_seen_at is touched at most once a minute, or as often as idle allows. */
export function sessionTimesOf(config: { SESSION_IDLE_MS: number; SESSION_MAX_MS: number }): SessionTimes {
  const touchEveryMs = Math.min(defaultSessionTimes.touchEveryMs, Math.floor(config.SESSION_IDLE_MS / 10));
  return { idleMs: config.SESSION_IDLE_MS, absoluteMs: config.SESSION_MAX_MS, touchEveryMs };
}

export interface SessionInfo {
  idHash: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  idleExpiresAt: Date;
  expiresAt: Date;
}

export type SessionCheck =
  | { ok: true; session: SessionInfo; user: UserRow }
  | { ok: false; reason: 'unknown' | 'revoked' | 'expired' | 'disabled' };

/**
 * The CSRF token of a session: an HMAC of its secret (OWASP's "signed
 * double-submit" token). A page script can hold it; it does not reveal the
 * cookie's secret, and the API can recompute it from the cookie at any time
 * (GET /api/auth/me hands it to a reloaded dashboard), so nothing is stored.
 */
export function csrfTokenFor(sessionSecret: string): string {
  return createHmac('sha256', sessionSecret).update('berth-csrf').digest('base64url');
}

/** True when `token` is the CSRF token of the session whose secret is `sessionSecret` (constant time). */
export function csrfMatches(sessionSecret: string, token: string | undefined): boolean {
  if (!token) return false;
  const expected = Buffer.from(csrfTokenFor(sessionSecret));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Signed-in browsers. The cookie holds a random secret; the table holds only
 * its SHA-256, so a database dump signs nobody in. A session ends when
 * revoked (sign-out, password reset, the account disabled), after `idleMs`
 * unused, and `absoluteMs` after sign-in whatever happens.
 */
export class SessionStore {
  constructor(
    private readonly db: Db,
    private readonly times: SessionTimes = defaultSessionTimes,
  ) {}

  async create(
    userId: string,
    opts: { clientAddress?: string; now?: Date } = {},
  ): Promise<{ secret: string; csrfToken: string; session: SessionInfo }> {
    const now = opts.now ?? new Date();
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.times.absoluteMs);
    const row = await this.db
      .insertInto('sessions')
      .values({
        id_hash: hashToken(secret),
        user_id: userId,
        created_at: now,
        last_seen_at: now,
        idle_expires_at: new Date(Math.min(now.getTime() + this.times.idleMs, expiresAt.getTime())),
        expires_at: expiresAt,
        client_address: opts.clientAddress ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { secret, csrfToken: csrfTokenFor(secret), session: toInfo(row) };
  }

  /** The session of a cookie's secret and its user, if both are still good; extends the idle expiry. */
  async check(secret: string, now: Date = new Date()): Promise<SessionCheck> {
    const found = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('users')
      .select([
        'sessions.id_hash',
        'sessions.created_at as session_created_at',
        'sessions.last_seen_at',
        'sessions.idle_expires_at',
        'sessions.expires_at',
        'sessions.revoked_at',
      ])
      .where('sessions.id_hash', '=', hashToken(secret))
      .executeTakeFirst();
    if (!found) return { ok: false, reason: 'unknown' };
    const { id_hash, session_created_at, last_seen_at, idle_expires_at, expires_at, revoked_at, ...user } = found;
    if (revoked_at) return { ok: false, reason: 'revoked' };
    if (user.disabled_at) return { ok: false, reason: 'disabled' };
    if (now >= expires_at || now >= idle_expires_at) return { ok: false, reason: 'expired' };
    let session = toInfo({ id_hash, user_id: user.id, created_at: session_created_at, last_seen_at, idle_expires_at, expires_at });
    if (now.getTime() - last_seen_at.getTime() >= this.times.touchEveryMs) session = (await this.touch(id_hash, now)) ?? session;
    return { ok: true, session, user };
  }

  private async touch(idHash: string, now: Date): Promise<SessionInfo | undefined> {
    const row = await this.db
      .updateTable('sessions')
      .set({
        last_seen_at: now,
        idle_expires_at: sql<Date>`least(${new Date(now.getTime() + this.times.idleMs)}::timestamptz, expires_at)`,
      })
      .where('id_hash', '=', idHash)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row ? toInfo(row) : undefined;
  }

  /** Signs one session out (by the cookie's secret). */
  async revoke(secret: string, now: Date = new Date()): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ revoked_at: now })
      .where('id_hash', '=', hashToken(secret))
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** Signs the user out everywhere, except (a password change) the session whose secret is `keep`. */
  async revokeAllOf(userId: string, opts: { keep?: string; now?: Date } = {}): Promise<number> {
    let query = this.db
      .updateTable('sessions')
      .set({ revoked_at: opts.now ?? new Date() })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null);
    if (opts.keep) query = query.where('id_hash', '!=', hashToken(opts.keep));
    const { numUpdatedRows } = await query.executeTakeFirst();
    return Number(numUpdatedRows);
  }

  /** Deletes sessions that ended more than a day ago (the reaper's housekeeping). */
  async pruneEnded(now: Date = new Date()): Promise<number> {
    const before = new Date(now.getTime() - 24 * 3600_000);
    const { numDeletedRows } = await this.db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<', before), eb('idle_expires_at', '<', before), eb('revoked_at', '<', before)]))
      .executeTakeFirst();
    return Number(numDeletedRows);
  }
}

type SessionTimesRow = Pick<SessionsTableRow, 'id_hash' | 'user_id' | 'created_at' | 'last_seen_at' | 'idle_expires_at' | 'expires_at'>;

function toInfo(row: SessionTimesRow): SessionInfo {
  return {
    idHash: row.id_hash,
    userId: row.user_id,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    idleExpiresAt: row.idle_expires_at,
    expiresAt: row.expires_at,
  };
}
