import { randomBytes } from 'node:crypto';
import type { Db } from '../db.ts';
import { hashToken } from '../token-store.ts';
import type { SetupLinkPurpose } from './tables.ts';

/** How long a link works: an invitation a week, a password (re)set a day. */
export const setupLinkLifetimeMs: Record<SetupLinkPurpose, number> = {
  invite: 7 * 24 * 3600_000,
  'set-password': 24 * 3600_000,
  reset: 24 * 3600_000,
};

export type SetupLinkCheck =
  | { ok: true; userId: string; purpose: SetupLinkPurpose; expiresAt: Date }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/**
 * One-time links that let a person set their password: an invitation, the
 * first owner's link (`users create --owner`), an owner's reset. No mail
 * server: the API returns the link and the inviter passes it on. Only the
 * hash of the link's secret is stored; a new link for a user retires the
 * unused ones before it; a link works once and not after it expires.
 */
export class SetupLinkStore {
  constructor(private readonly db: Db) {}

  /** A new link's secret (put it in the URL the person opens). */
  async issue(userId: string, purpose: SetupLinkPurpose, now: Date = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + setupLinkLifetimeMs[purpose]);
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('user_setup_links').where('user_id', '=', userId).where('used_at', 'is', null).execute();
      await trx
        .insertInto('user_setup_links')
        .values({ token_hash: hashToken(token), user_id: userId, purpose, created_at: now, expires_at: expiresAt })
        .execute();
    });
    return { token, expiresAt };
  }

  /** What the link is for, without using it up (the page that asks for the new password). */
  async peek(token: string, now: Date = new Date()): Promise<SetupLinkCheck> {
    const row = await this.db.selectFrom('user_setup_links').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.used_at) return { ok: false, reason: 'used' };
    if (row.expires_at <= now) return { ok: false, reason: 'expired' };
    return { ok: true, userId: row.user_id, purpose: row.purpose, expiresAt: row.expires_at };
  }

  /**
   * Uses the link up, atomically: of two requests with the same link, one
   * gets the user and the other `used`. Check the new password before
   * redeeming, so a refused password does not spend the link.
   */
  async redeem(token: string, now: Date = new Date()): Promise<SetupLinkCheck> {
    const row = await this.db
      .updateTable('user_setup_links')
      .set({ used_at: now })
      .where('token_hash', '=', hashToken(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
    if (row) return { ok: true, userId: row.user_id, purpose: row.purpose, expiresAt: row.expires_at };
    const why = await this.peek(token, now);
    return why.ok ? { ok: false, reason: 'used' } : why;
  }
}
