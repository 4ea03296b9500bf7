import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@berth/testing/database';
import { databaseForFile } from '@berth/testing/database';
import { UserStore } from '../../../src/accounts/user-store.ts';
import { SessionStore } from '../../../src/accounts/session-store.ts';
import { TokenStore } from '../../../src/token-store.ts';

const database = databaseForFile();
let users: UserStore;
beforeAll(() => {
  users = new UserStore(database().db);
});

describe('UserStore', () => {
  it('creates users with emails unique ignoring case, and finds them by email in any case', async () => {
    const ada = await users.create({ email: 'Ada@Example.com', role: 'owner' });
    expect(ada).toMatchObject({ email: 'Ada@Example.com', role: 'owner', hasPassword: false, totpEnabled: false, disabledAt: null });
    expect(ada.id).toMatch(/^usr_[0-9a-f]{12}$/);
    await expect(users.create({ email: 'ada@example.COM' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(users.create({ email: 'not an email' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await users.findByEmail(' ADA@example.com '))?.id).toBe(ada.id);
    expect(await users.findByEmail('nobody@example.com')).toBeUndefined();
    expect((await users.list()).map((u) => u.email)).toContain('Ada@Example.com');
    expect(JSON.stringify(await users.list())).not.toMatch(/password_hash|totp_secret/);
  });

  it('authenticates the right password only, the same answer for an unknown email, and says disabled only after the password', async () => {
    const bob = await users.create({ email: 'bob@example.com' });
    expect(await users.authenticate('bob@example.com', 'whatever password')).toEqual({ ok: false, reason: 'invalid' });
    await expect(users.setPassword(bob.id, 'short')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await users.setPassword(bob.id, 'bobs long password');
    const row = await users.get(bob.id);
    expect(row?.password_hash).toMatch(/^\$argon2id\$/);
    const ok = await users.authenticate('BOB@example.com', 'bobs long password');
    expect(ok.ok && ok.user.id).toBe(bob.id);
    expect(await users.authenticate('bob@example.com', 'bobs wrong password')).toEqual({ ok: false, reason: 'invalid' });
    expect(await users.authenticate('nobody@example.com', 'bobs long password')).toEqual({ ok: false, reason: 'invalid' });
    await users.create({ email: 'owner2@example.com', role: 'owner' });
    await users.disable(bob.id);
    expect(await users.authenticate('bob@example.com', 'bobs long password')).toEqual({ ok: false, reason: 'disabled' });
    expect(await users.authenticate('bob@example.com', 'bobs wrong password')).toEqual({ ok: false, reason: 'invalid' });
    await users.enable(bob.id);
    expect((await users.authenticate('bob@example.com', 'bobs long password')).ok).toBe(true);
  });

  it('disabling a user revokes their sessions and personal tokens at once, not instance tokens or other users', async () => {
    const carol = await users.create({ email: 'carol@example.com' });
    const dave = await users.create({ email: 'dave@example.com' });
    const sessions = new SessionStore(database().db);
    const tokens = new TokenStore(database().db);
    const carolSession = await sessions.create(carol.id);
    const daveSession = await sessions.create(dave.id);
    const carolToken = await tokens.create('carol ci', 'deploy');
    await database().db.updateTable('api_tokens').set({ owner_user_id: carol.id }).where('id', '=', carolToken.info.id).execute();
    const instanceToken = await tokens.create('operator', 'admin');

    const disabled = await users.disable(carol.id);
    expect(disabled.disabledAt).toBeInstanceOf(Date);
    expect(await sessions.check(carolSession.secret)).toEqual({ ok: false, reason: 'revoked' });
    expect(await tokens.check(carolToken.token)).toEqual({ ok: false, reason: 'revoked' });
    expect((await sessions.check(daveSession.secret)).ok).toBe(true);
    expect((await tokens.check(instanceToken.token)).ok).toBe(true);
    // Disabling again keeps the first time.
    expect((await users.disable(carol.id)).disabledAt).toEqual(disabled.disabledAt);
    await expect(users.disable('usr_missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('never leaves the instance without an enabled owner', async () => {
    const fresh = await createTestDatabase();
    try {
      const store = new UserStore(fresh.db);
      expect(await store.anyOwner()).toBe(false);
      const only = await store.create({ email: 'only@example.com', role: 'owner' });
      expect(await store.anyOwner()).toBe(true);
      await expect(store.disable(only.id)).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(store.setRole(only.id, 'member')).rejects.toMatchObject({ code: 'CONFLICT' });
      const second = await store.create({ email: 'second@example.com' });
      await store.setRole(second.id, 'owner');
      // Two owners demoting each other at once: one of them stays.
      const results = await Promise.allSettled([store.setRole(only.id, 'member'), store.setRole(second.id, 'member')]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((await store.list()).filter((u) => u.role === 'owner')).toHaveLength(1);
    } finally {
      await fresh.drop();
    }
  });
});
