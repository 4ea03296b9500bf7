import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { databaseForFile } from '@berth/testing/database';
import {
  createUserWithLink,
  issueResetLink,
  setPasswordWithLink,
  signIn,
  type AccountStores,
} from '../../../src/accounts/account-flows.ts';
import { UserStore } from '../../../src/accounts/user-store.ts';
import { SetupLinkStore } from '../../../src/accounts/setup-link-store.ts';
import { SessionStore } from '../../../src/accounts/session-store.ts';
import { SecondFactorStore } from '../../../src/accounts/second-factor-store.ts';
import { totpCode } from '../../../src/accounts/totp.ts';
import { SecretBox } from '../../../src/secret-box.ts';

const database = databaseForFile();
let stores: AccountStores;
beforeAll(() => {
  const db = database().db;
  stores = {
    users: new UserStore(db),
    links: new SetupLinkStore(db),
    sessions: new SessionStore(db),
    factors: new SecondFactorStore(db, new SecretBox(randomBytes(32))),
  };
});

describe('account flows', () => {
  it('makes the first owner with a set-password link, which sets the password once, then signs in', async () => {
    const { user, token } = await createUserWithLink(stores, { email: 'root@example.com', role: 'owner', purpose: 'set-password' });
    expect(user).toMatchObject({ role: 'owner', hasPassword: false });
    expect(await signIn(stores, { email: 'root@example.com', password: 'a password of mine' })).toEqual({ ok: false, reason: 'invalid' });
    // A refused password does not spend the link.
    await expect(setPasswordWithLink(stores, token, 'short')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await setPasswordWithLink(stores, token, 'a password of mine');
    await expect(setPasswordWithLink(stores, token, 'another password')).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(setPasswordWithLink(stores, 'forged', 'another password')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const signedIn = await signIn(stores, { email: 'ROOT@example.com', password: 'a password of mine', clientAddress: '198.51.100.4' });
    expect(signedIn.ok).toBe(true);
    if (!signedIn.ok) return;
    expect((await stores.sessions.check(signedIn.secret)).ok).toBe(true);
    expect(signedIn.csrfToken).toMatch(/^[\w-]{43}$/);
  });

  it('resets a password with a new link: the old password works until it is used, then no session of the old one lives', async () => {
    const { user, token } = await createUserWithLink(stores, { email: 'mia@example.com', role: 'member', purpose: 'invite' });
    await setPasswordWithLink(stores, token, 'mias first password');
    const before = await signIn(stores, { email: 'mia@example.com', password: 'mias first password' });
    expect(before.ok).toBe(true);
    const reset = await issueResetLink(stores, user.id);
    expect((await signIn(stores, { email: 'mia@example.com', password: 'mias first password' })).ok).toBe(true);
    await setPasswordWithLink(stores, reset.token, 'mias second password');
    expect(before.ok && (await stores.sessions.check(before.secret))).toEqual({ ok: false, reason: 'revoked' });
    expect((await signIn(stores, { email: 'mia@example.com', password: 'mias first password' })).ok).toBe(false);
    expect((await signIn(stores, { email: 'mia@example.com', password: 'mias second password' })).ok).toBe(true);
    await expect(issueResetLink(stores, 'usr_missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('does nothing with the link of a disabled account, and tells a disabled account only to its password', async () => {
    await stores.users.create({ email: 'keep-owner@example.com', role: 'owner' });
    const { user, token } = await createUserWithLink(stores, { email: 'gone@example.com', role: 'member', purpose: 'invite' });
    await setPasswordWithLink(stores, token, 'gones password!');
    const reset = await issueResetLink(stores, user.id);
    await stores.users.disable(user.id);
    await expect(setPasswordWithLink(stores, reset.token, 'new password here')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await signIn(stores, { email: 'gone@example.com', password: 'gones password!' })).toEqual({
      ok: false,
      reason: 'disabled',
      userId: user.id,
    });
    expect(await signIn(stores, { email: 'gone@example.com', password: 'wrong password' })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('asks for the second factor when TOTP is on, and takes a code or a recovery code, each once', async () => {
    const { user, token } = await createUserWithLink(stores, { email: 'tia@example.com', role: 'member', purpose: 'invite' });
    await setPasswordWithLink(stores, token, 'tias password ok');
    const secret = await stores.factors.begin(user.id);
    const now = Date.now();
    const codes = await stores.factors.confirm(user.id, totpCode(secret, now - 30_000), now);
    const login = { email: 'tia@example.com', password: 'tias password ok' };
    expect(await signIn(stores, login)).toEqual({ ok: false, reason: 'second-factor-required', userId: user.id });
    expect(await signIn(stores, { ...login, totp: '000000' })).toMatchObject({ ok: false, reason: 'second-factor-invalid' });
    expect((await signIn(stores, { ...login, totp: totpCode(secret, Date.now()) })).ok).toBe(true);
    expect((await signIn(stores, { ...login, recoveryCode: codes![3]! })).ok).toBe(true);
    expect(await signIn(stores, { ...login, recoveryCode: codes![3]! })).toMatchObject({ ok: false, reason: 'second-factor-invalid' });
    // A wrong password says nothing about the second factor.
    expect(await signIn(stores, { ...login, password: 'not the password' })).toEqual({ ok: false, reason: 'invalid' });
  });
});
