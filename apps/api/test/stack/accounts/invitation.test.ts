import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@berth/testing/paths';
import { testToken } from '@berth/testing/stack';
import { asSession, expectError, login, makePerson, newEmail, password, signIn, useAccountsStack } from './accounts-setup.ts';

const stack = useAccountsStack();

const invite = (payload: Record<string, unknown>) => stack().inject({ method: 'POST', url: '/api/users', payload });
const setup = (token: string, pw = password) => stack().api.inject({ method: 'POST', url: '/api/auth/setup', payload: { token, password: pw } });

describe('invitations: a one-time link instead of mail', () => {
  it('answers the link (the secret in the URL fragment); the link sets the password once, and a refused password does not spend it', async () => {
    const email = newEmail('invited');
    const res = await invite({ email, role: 'member' });
    expect(res.statusCode, res.body).toBe(201);
    const { user, link } = res.json();
    expect(user).toMatchObject({ email, role: 'member', hasPassword: false, disabledAt: null });
    expect(link.url).toBe(`http://localhost:${stack().apiConfig.PUBLIC_PORT}/#/setup/${link.token}`);
    expect(new Date(link.expiresAt).getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);
    // Before the link is used, nobody signs in as them.
    expectError(await login(stack(), { email, password }), 401, 'UNAUTHORIZED');

    expectError(await setup(link.token, 'short'), 400, 'VALIDATION_FAILED');
    const done = await setup(link.token);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().user).toMatchObject({ id: user.id, hasPassword: true });
    expectError(await setup(link.token, 'another long password'), 409, 'CONFLICT');
    await signIn(stack(), { id: user.id, email, password });
    // Stored as a hash only.
    const rows = await stack().db.db.selectFrom('user_setup_links').selectAll().where('user_id', '=', user.id).execute();
    expect(JSON.stringify(rows)).not.toContain(link.token);
  });

  it('refuses unknown and expired links, duplicate emails (in any case), bad emails and roles', async () => {
    expectError(await setup('not-a-link'), 404, 'NOT_FOUND');
    const email = newEmail('expiring');
    const { user, link } = (await invite({ email })).json();
    await stack().db.db.updateTable('user_setup_links').set({ expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', user.id).execute();
    expectError(await setup(link.token), 409, 'CONFLICT');
    expectError(await invite({ email: email.toUpperCase() }), 409, 'CONFLICT');
    expectError(await invite({ email: 'not an email' }), 400, 'VALIDATION_FAILED');
    expectError(await invite({ email: newEmail(), role: 'god' }), 400, 'VALIDATION_FAILED');
    expectError(await invite({}), 400, 'VALIDATION_FAILED');
  });

  it('is for owners: a member (even signed in) cannot invite, list, reset or change anyone', async () => {
    const member = await makePerson(stack());
    const session = await signIn(stack(), member);
    const owner = await makePerson(stack(), { role: 'owner' });
    expectError(await asSession(stack(), session, { method: 'POST', url: '/api/users', payload: { email: newEmail() } }), 403, 'FORBIDDEN');
    expectError(await asSession(stack(), session, { method: 'GET', url: '/api/users' }), 403, 'FORBIDDEN');
    expectError(await asSession(stack(), session, { method: 'POST', url: `/api/users/${owner.id}/reset` }), 403, 'FORBIDDEN');
    expectError(await asSession(stack(), session, { method: 'PATCH', url: `/api/users/${member.id}`, payload: { role: 'owner' } }), 403, 'FORBIDDEN');
    expectError(await stack().api.inject({ method: 'POST', url: '/api/users', payload: { email: newEmail() } }), 401, 'UNAUTHORIZED');

    // An owner, signed in, can.
    const ownerSession = await signIn(stack(), owner);
    const invited = await asSession(stack(), ownerSession, { method: 'POST', url: '/api/users', payload: { email: newEmail() } });
    expect(invited.statusCode, invited.body).toBe(201);
    const audit = (await stack().inject({ method: 'GET', url: `/api/audit?action=user.invite&actor=${owner.id}` })).json();
    expect(audit.items[0]).toMatchObject({ actorKind: 'user', actorId: owner.id, targetId: invited.json().user.id, result: 'ok' });
  });

  it("resets with a new link: the old password works until it is used, then every session ends", async () => {
    const person = await makePerson(stack());
    const session = await signIn(stack(), person);
    const reset = await stack().inject({ method: 'POST', url: `/api/users/${person.id}/reset` });
    expect(reset.statusCode, reset.body).toBe(200);
    await signIn(stack(), person);
    expect((await setup(reset.json().link.token, 'the brand new password')).statusCode).toBe(200);
    expectError(await asSession(stack(), session, { method: 'GET', url: '/api/auth/me' }), 401, 'UNAUTHORIZED');
    expectError(await login(stack(), { email: person.email, password }), 401, 'UNAUTHORIZED');
    expectError(await stack().inject({ method: 'POST', url: '/api/users/usr_000000000000/reset' }), 404, 'NOT_FOUND');
  });

  it('changes roles, and keeps the last enabled owner', async () => {
    const person = await makePerson(stack());
    const promoted = await stack().inject({ method: 'PATCH', url: `/api/users/${person.id}`, payload: { role: 'owner' } });
    expect(promoted.json().user.role).toBe('owner');
    expectError(await stack().inject({ method: 'PATCH', url: `/api/users/${person.id}`, payload: {} }), 400, 'VALIDATION_FAILED');
    expectError(await stack().inject({ method: 'PATCH', url: '/api/users/usr_000000000000', payload: { role: 'member' } }), 404, 'NOT_FOUND');
    const owners = (await stack().inject({ method: 'GET', url: '/api/users' })).json().items.filter((u: { role: string; disabledAt: string | null }) => u.role === 'owner' && !u.disabledAt);
    for (const o of owners.slice(1)) await stack().inject({ method: 'PATCH', url: `/api/users/${o.id}`, payload: { disabled: true } });
    expectError(await stack().inject({ method: 'PATCH', url: `/api/users/${owners[0].id}`, payload: { role: 'member' } }), 409, 'CONFLICT');
    expectError(await stack().inject({ method: 'PATCH', url: `/api/users/${owners[0].id}`, payload: { disabled: true } }), 409, 'CONFLICT');
  });
});

describe('the first owner, from the operator’s shell', () => {
  it('npm run berth -- users create --owner EMAIL prints the one-time link, which makes a signed-in owner', async () => {
    const email = newEmail('first-owner');
    const out = await runCli(['users', 'create', '--owner', email]);
    expect(out.code, out.stderr).toBe(0);
    const url = /(http:\/\/\S+#\/setup\/(\S+))/.exec(out.stdout);
    expect(url, out.stdout).not.toBeNull();
    expect((await setup(url![2]!)).statusCode).toBe(200);
    const session = await signIn(stack(), { id: '', email, password });
    const me = (await asSession(stack(), session, { method: 'GET', url: '/api/auth/me' })).json();
    expect(me.user).toMatchObject({ email, role: 'owner' });

    const bad = await runCli(['users', 'create', '--owner']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/usage: berth users create/);
  });
});

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'apps/cli/bin/berth.mjs'), ...args], {
      env: { ...process.env, BERTH_URL: stack().apiUrl, BERTH_TOKEN: testToken, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
