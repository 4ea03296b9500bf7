import { beforeAll, describe, expect, it } from 'vitest';
import { databaseForFile } from '@berth/testing/database';
import { UserStore } from '../../../src/accounts/user-store.ts';
import { csrfMatches, csrfTokenFor, SessionStore } from '../../../src/accounts/session-store.ts';
import { SetupLinkStore, setupLinkLifetimeMs } from '../../../src/accounts/setup-link-store.ts';
import { hashToken } from '../../../src/token-store.ts';

const database = databaseForFile();
let users: UserStore;
beforeAll(() => {
  users = new UserStore(database().db);
});

const minute = 60_000;
const times = { idleMs: 30 * minute, absoluteMs: 120 * minute, touchEveryMs: minute };
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

describe('SessionStore', () => {
  it('stores only the hash of the cookie secret and signs its user in', async () => {
    const user = await users.create({ email: 'ses1@example.com' });
    const sessions = new SessionStore(database().db, times);
    const { secret, csrfToken, session } = await sessions.create(user.id, { clientAddress: '203.0.113.9' });
    expect(secret.length).toBeGreaterThanOrEqual(43);
    const rows = await database().db.selectFrom('sessions').selectAll().where('user_id', '=', user.id).execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(rows[0]!.id_hash).toBe(hashToken(secret));
    const checked = await sessions.check(secret);
    expect(checked.ok && checked.user.email).toBe('ses1@example.com');
    expect(checked.ok && checked.session.idHash).toBe(session.idHash);
    expect(await sessions.check('not-a-session')).toEqual({ ok: false, reason: 'unknown' });
    expect(csrfToken).toBe(csrfTokenFor(secret));
    expect(csrfMatches(secret, csrfToken)).toBe(true);
    expect(csrfMatches(secret, csrfTokenFor('another secret'))).toBe(false);
    expect(csrfMatches(secret, undefined)).toBe(false);
    expect(csrfMatches(secret, '')).toBe(false);
  });

  it('ends a session left idle, extends one in use, and ends any at its absolute expiry', async () => {
    const user = await users.create({ email: 'ses2@example.com' });
    const sessions = new SessionStore(database().db, times);
    const start = new Date(Date.now() - 10 * minute);
    const idle = await sessions.create(user.id, { now: start });
    expect(await sessions.check(idle.secret, at(start, 31 * minute))).toEqual({ ok: false, reason: 'expired' });

    const used = await sessions.create(user.id, { now: start });
    // Used every 20 minutes: each use moves the idle expiry on, past the first 30 minutes.
    for (const m of [20, 40, 60, 80, 100]) {
      const checked = await sessions.check(used.secret, at(start, m * minute));
      expect(checked.ok, `at ${m} min`).toBe(true);
      if (checked.ok) expect(checked.session.idleExpiresAt.getTime()).toBe(Math.min(start.getTime() + (m + 30) * minute, start.getTime() + 120 * minute));
    }
    expect(await sessions.check(used.secret, at(start, 121 * minute))).toEqual({ ok: false, reason: 'expired' });
  });

  it('writes last_seen_at at most once a minute', async () => {
    const user = await users.create({ email: 'ses3@example.com' });
    const sessions = new SessionStore(database().db, times);
    const start = new Date();
    const { secret } = await sessions.create(user.id, { now: start });
    await sessions.check(secret, at(start, 30_000));
    const row = await database().db.selectFrom('sessions').select('last_seen_at').where('id_hash', '=', hashToken(secret)).executeTakeFirstOrThrow();
    expect(row.last_seen_at).toEqual(start);
    await sessions.check(secret, at(start, 61_000));
    const later = await database().db.selectFrom('sessions').select('last_seen_at').where('id_hash', '=', hashToken(secret)).executeTakeFirstOrThrow();
    expect(later.last_seen_at).toEqual(at(start, 61_000));
  });

  it('signs out one session, or all of a user but the one kept, and refuses a disabled user', async () => {
    const user = await users.create({ email: 'ses4@example.com' });
    const sessions = new SessionStore(database().db, times);
    const [a, b, c] = [await sessions.create(user.id), await sessions.create(user.id), await sessions.create(user.id)];
    await sessions.revoke(a.secret);
    expect(await sessions.check(a.secret)).toEqual({ ok: false, reason: 'revoked' });
    expect(await sessions.revokeAllOf(user.id, { keep: c.secret })).toBe(1);
    expect(await sessions.check(b.secret)).toEqual({ ok: false, reason: 'revoked' });
    expect((await sessions.check(c.secret)).ok).toBe(true);
    // A disabled user's session stops even if it was somehow not revoked.
    await database().db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', user.id).execute();
    expect(await sessions.check(c.secret)).toEqual({ ok: false, reason: 'disabled' });
  });

  it('prunes sessions that ended more than a day ago', async () => {
    const user = await users.create({ email: 'ses5@example.com' });
    const sessions = new SessionStore(database().db, times);
    const old = await sessions.create(user.id, { now: new Date(Date.now() - 3 * 24 * 3600_000) });
    const current = await sessions.create(user.id);
    expect(await sessions.pruneEnded()).toBeGreaterThanOrEqual(1);
    expect(await sessions.check(old.secret)).toEqual({ ok: false, reason: 'unknown' });
    expect((await sessions.check(current.secret)).ok).toBe(true);
  });
});

describe('SetupLinkStore', () => {
  it('issues a link kept as a hash, that works once, and tells used from unknown', async () => {
    const user = await users.create({ email: 'link1@example.com' });
    const links = new SetupLinkStore(database().db);
    const { token, expiresAt } = await links.issue(user.id, 'invite');
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(setupLinkLifetimeMs.invite - minute);
    const rows = await database().db.selectFrom('user_setup_links').selectAll().where('user_id', '=', user.id).execute();
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(await links.peek(token)).toMatchObject({ ok: true, userId: user.id, purpose: 'invite' });
    // Two requests with the same link: one wins.
    const both = await Promise.all([links.redeem(token), links.redeem(token)]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(both.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'used' }]);
    expect(await links.redeem(token)).toEqual({ ok: false, reason: 'used' });
    expect(await links.redeem('no-such-link')).toEqual({ ok: false, reason: 'unknown' });
  });

  it('refuses an expired link, and a new link retires the unused one before it', async () => {
    const user = await users.create({ email: 'link2@example.com' });
    const links = new SetupLinkStore(database().db);
    const old = await links.issue(user.id, 'reset', new Date(Date.now() - 2 * 24 * 3600_000));
    expect(await links.redeem(old.token)).toEqual({ ok: false, reason: 'expired' });
    const first = await links.issue(user.id, 'reset');
    const second = await links.issue(user.id, 'set-password');
    expect(await links.redeem(first.token)).toEqual({ ok: false, reason: 'unknown' });
    expect(await links.redeem(second.token)).toMatchObject({ ok: true, userId: user.id, purpose: 'set-password' });
  });
});
