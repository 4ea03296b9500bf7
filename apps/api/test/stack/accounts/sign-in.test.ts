import { describe, expect, it } from 'vitest';
import { asSession, expectError, login, makePerson, newEmail, password, sessionOf, signIn, useAccountsStack } from './accounts-setup.ts';

const stack = useAccountsStack();

async function auditRows(action: string) {
  const res = await stack().inject({ method: 'GET', url: `/api/audit?action=${action}&limit=500` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as Array<Record<string, unknown>>;
}

describe('signing in with email and password', () => {
  it('answers the user and a CSRF token, and sets an httpOnly, SameSite=Lax session cookie (not Secure over plain HTTP)', async () => {
    const person = await makePerson(stack());
    const res = await login(stack(), { email: person.email.toUpperCase(), password });
    const session = sessionOf(res);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);
    expect(res.json().user).toMatchObject({ id: person.id, email: person.email, role: 'member', hasPassword: true });
    expect(JSON.stringify(res.json())).not.toContain(session.cookie);

    const me = await asSession(stack(), session, { method: 'GET', url: '/api/auth/me' });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json()).toMatchObject({ user: { id: person.id }, actor: { kind: 'user', id: person.id }, csrfToken: session.csrf });
    // Only the cookie's hash is stored.
    const rows = await stack().db.db.selectFrom('sessions').selectAll().where('user_id', '=', person.id).execute();
    expect(JSON.stringify(rows)).not.toContain(session.cookie);
  });

  it('marks the cookie Secure when the client came over HTTPS through the proxy on loopback, and not when a stranger says so', async () => {
    const person = await makePerson(stack());
    const viaProxy = await login(stack(), { email: person.email, password }, { 'x-forwarded-proto': 'https' });
    expect(String(viaProxy.headers['set-cookie'])).toMatch(/; Secure/);
    const direct = await stack().api.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: person.email, password },
      headers: { 'x-forwarded-proto': 'https' },
      remoteAddress: '203.0.113.9',
    });
    expect(direct.statusCode, direct.body).toBe(200);
    expect(String(direct.headers['set-cookie'])).not.toMatch(/Secure/);
  });

  it('refuses a wrong password and an unknown email with the same answer, and audits every attempt', async () => {
    const person = await makePerson(stack());
    const wrong = await login(stack(), { email: person.email, password: 'not the password' });
    const unknown = await login(stack(), { email: newEmail('nobody'), password: 'not the password' });
    expectError(wrong, 401, 'UNAUTHORIZED');
    expect(unknown.json()).toEqual(wrong.json());
    expect(wrong.headers['set-cookie']).toBeUndefined();
    await signIn(stack(), person);

    const rows = (await auditRows('auth.login')).filter((r) => r.actorName === person.email);
    expect(rows.map((r) => r.result)).toEqual(['ok', 'denied']);
    expect(rows[1]).toMatchObject({ actorKind: 'anonymous', detail: { reason: 'invalid' }, clientAddress: '127.0.0.1' });
    expect(rows[0]).toMatchObject({ actorKind: 'user', actorId: person.id });
    expect(JSON.stringify(rows)).not.toContain('not the password');
  });

  it('refuses bad bodies with 400', async () => {
    for (const payload of [{}, { email: 'a@b.co' }, { email: 'a@b.co', password: 'x', extra: 1 }, { email: 'a@b.co', password: 'x', totp: 'abc' }]) {
      expectError(await login(stack(), payload), 400, 'VALIDATION_FAILED');
    }
  });

  it('signs nobody in from a cross-site form (login CSRF): a form can only send text/plain or form encodings, never JSON', async () => {
    const person = await makePerson(stack());
    const json = JSON.stringify({ email: person.email, password });
    for (const [type, body] of [
      ['text/plain', json],
      ['application/x-www-form-urlencoded', `email=${encodeURIComponent(person.email)}&password=${encodeURIComponent(password)}`],
    ] as const) {
      const res = await stack().api.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': type, origin: 'https://evil.example' }, payload: body });
      expect(res.statusCode, `${type}: ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('signs out: the cookie stops working at once and is cleared', async () => {
    const person = await makePerson(stack());
    const session = await signIn(stack(), person);
    const out = await asSession(stack(), session, { method: 'POST', url: '/api/auth/logout' });
    expect(out.statusCode, out.body).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/berth_session=;.*Max-Age=0/);
    expectError(await asSession(stack(), session, { method: 'GET', url: '/api/auth/me' }), 401, 'UNAUTHORIZED');
  });

  it('ends a session that sat idle past its idle expiry, and one past its absolute expiry', async () => {
    const person = await makePerson(stack());
    const idle = await signIn(stack(), person);
    const old = await signIn(stack(), person);
    const past = new Date(Date.now() - 1000);
    const { hashToken } = await import('@berth/shared/token-store');
    await stack().db.db.updateTable('sessions').set({ idle_expires_at: past }).where('id_hash', '=', hashToken(idle.cookie)).execute();
    await stack().db.db.updateTable('sessions').set({ expires_at: past }).where('id_hash', '=', hashToken(old.cookie)).execute();
    for (const s of [idle, old]) {
      const res = await asSession(stack(), s, { method: 'GET', url: '/api/auth/me' });
      expectError(res, 401, 'UNAUTHORIZED');
      expect(res.json().error.message).toMatch(/expired/);
    }
  });
});

describe('cross-site request forgery', () => {
  it('refuses a signed-in request that changes something without the CSRF token, with a wrong one, or from another origin', async () => {
    const person = await makePerson(stack());
    const session = await signIn(stack(), person);
    const change = { method: 'POST' as const, url: '/api/tokens', payload: { name: 'x', scope: 'read' } };
    const cookieOnly = { cookie: session.headers.cookie!, 'x-berth-csrf': '' };
    expectError(await stack().api.inject({ ...change, headers: cookieOnly }), 403, 'FORBIDDEN');
    expectError(await asSession(stack(), session, { ...change, headers: { 'x-berth-csrf': `${session.csrf.slice(0, -2)}xx` } }), 403, 'FORBIDDEN');
    expectError(await asSession(stack(), session, { ...change, headers: { origin: 'https://evil.example' } }), 403, 'FORBIDDEN');
    // Another session's token does not fit this one.
    const other = await signIn(stack(), person);
    expectError(await asSession(stack(), session, { ...change, headers: { 'x-berth-csrf': other.csrf } }), 403, 'FORBIDDEN');
    expect((await asSession(stack(), session, change)).statusCode).toBe(201);
    // Reading needs no token.
    expect((await stack().api.inject({ method: 'GET', url: '/api/auth/me', headers: cookieOnly })).statusCode).toBe(200);
  });

  it('refuses sign-out without the CSRF token (a forged sign-out is a change too)', async () => {
    const session = await signIn(stack(), await makePerson(stack()));
    expectError(await stack().api.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: session.headers.cookie! } }), 403, 'FORBIDDEN');
    expect((await asSession(stack(), session, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
  });
});

describe('disabled accounts', () => {
  it('stop its sessions and personal tokens at once, and refuse its sign-in', async () => {
    const person = await makePerson(stack());
    const session = await signIn(stack(), person);
    const made = await asSession(stack(), session, { method: 'POST', url: '/api/tokens', payload: { name: 'mine', scope: 'read' } });
    expect(made.statusCode, made.body).toBe(201);
    const token = made.json().token as string;
    const bearer = { authorization: `Bearer ${token}` };
    expect((await stack().api.inject({ method: 'GET', url: '/api/auth/me', headers: bearer })).statusCode).toBe(200);

    const disabled = await stack().inject({ method: 'PATCH', url: `/api/users/${person.id}`, payload: { disabled: true } });
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(disabled.json().user.disabledAt).not.toBeNull();

    expect((await asSession(stack(), session, { method: 'GET', url: '/api/auth/me' })).statusCode).toBeGreaterThanOrEqual(401);
    expect([401, 403]).toContain((await stack().api.inject({ method: 'GET', url: '/api/auth/me', headers: bearer })).statusCode);
    const again = await login(stack(), { email: person.email, password });
    expectError(again, 403, 'FORBIDDEN');
    expect(again.headers['set-cookie']).toBeUndefined();
    // A wrong password does not learn that the account is disabled.
    expectError(await login(stack(), { email: person.email, password: 'not the password' }), 401, 'UNAUTHORIZED');

    const enabled = await stack().inject({ method: 'PATCH', url: `/api/users/${person.id}`, payload: { disabled: false } });
    expect(enabled.json().user.disabledAt).toBeNull();
    await signIn(stack(), person);
    // The old session and token stay dead.
    expect((await asSession(stack(), session, { method: 'GET', url: '/api/auth/me' })).statusCode).toBeGreaterThanOrEqual(401);
  });
});

describe('changing one’s password', () => {
  it('needs the current one, ends the other sessions, keeps this one', async () => {
    const person = await makePerson(stack());
    const here = await signIn(stack(), person);
    const elsewhere = await signIn(stack(), person);
    const change = (payload: Record<string, unknown>) => asSession(stack(), here, { method: 'POST', url: '/api/auth/password', payload });
    expectError(await change({ currentPassword: 'wrong wrong wrong', newPassword: 'a new long password' }), 403, 'FORBIDDEN');
    expectError(await change({ currentPassword: password, newPassword: 'short' }), 400, 'VALIDATION_FAILED');
    expect((await change({ currentPassword: password, newPassword: 'a new long password' })).statusCode).toBe(204);
    expect((await asSession(stack(), here, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
    expectError(await asSession(stack(), elsewhere, { method: 'GET', url: '/api/auth/me' }), 401, 'UNAUTHORIZED');
    expectError(await login(stack(), { email: person.email, password }), 401, 'UNAUTHORIZED');
    await signIn(stack(), { ...person, password: 'a new long password' });
  });

  it('is a person’s own: a token (even the admin token) cannot change it', async () => {
    expectError(await stack().inject({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: password, newPassword: 'whatever whatever' } }), 403, 'FORBIDDEN');
  });
});
