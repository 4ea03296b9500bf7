import { beforeEach, describe, expect, it } from 'vitest';
import { clearOfWindowEnd, clearOfWindowTimeoutMs } from '@berth/testing/rate-window';
import { asSession, expectError, login, makePerson, newEmail, password, signIn, useAccountsStack } from './accounts-setup.ts';

// Small limits, a long window: the 429s below come from the counts, not the clock.
const stack = useAccountsStack({ LOGIN_RATE_LIMIT_PER_ACCOUNT: '3', LOGIN_RATE_LIMIT_PER_ADDRESS: '6', LOGIN_RATE_WINDOW_MS: '600000' });

const from = (address: string) => ({ 'x-forwarded-for': address });

describe('sign-in lockout', () => {
  beforeEach(() => clearOfWindowEnd(600_000), clearOfWindowTimeoutMs);

  it('refuses an account past its attempts with 429 and Retry-After, even with the right password, and audits it', async () => {
    const person = await makePerson(stack());
    for (let i = 0; i < 3; i++) expectError(await login(stack(), { email: person.email, password: 'wrong guess!!' }, from(`198.51.100.${i + 1}`)), 401, 'UNAUTHORIZED');
    // From yet another address, in another spelling of the email: still the same account.
    const locked = await login(stack(), { email: ` ${person.email.toUpperCase()}`, password }, from('198.51.100.50'));
    expectError(locked, 429, 'RATE_LIMITED');
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(locked.headers['set-cookie']).toBeUndefined();

    const audit = await stack().inject({ method: 'GET', url: '/api/audit?action=auth.login' });
    const mine = (audit.json().items as Array<{ actorName: string; result: string; detail: { reason?: string } }>).filter((r) =>
      r.actorName.trim().toLowerCase() === person.email.toLowerCase(),
    );
    expect(mine[0]).toMatchObject({ result: 'denied', detail: { reason: 'rate-limited' } });
    expect(mine).toHaveLength(4);
  });

  it('refuses a client address past its attempts, whichever emails it tries; other addresses go on', async () => {
    const address = '192.0.2.77';
    for (let i = 0; i < 6; i++) expectError(await login(stack(), { email: newEmail('spray'), password: 'wrong guess!!' }, from(address)), 401, 'UNAUTHORIZED');
    const person = await makePerson(stack());
    const refused = await login(stack(), { email: person.email, password }, from(address));
    expectError(refused, 429, 'RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login(stack(), { email: person.email, password }, from('192.0.2.78'))).statusCode).toBe(200);
  });

  it('does not let a client pick its own address: X-Forwarded-For counts only from the proxy on loopback', async () => {
    const stranger = '203.0.113.200';
    const attempt = (i: number) =>
      stack().api.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: newEmail('rotate'), password: 'wrong guess!!' },
        headers: from(`10.1.1.${i}`),
        remoteAddress: stranger,
      });
    for (let i = 0; i < 6; i++) expectError(await attempt(i), 401, 'UNAUTHORIZED');
    expectError(await attempt(99), 429, 'RATE_LIMITED');
  });

  it('counts guesses of the current password through a signed-in session against the same limit', async () => {
    const person = await makePerson(stack());
    const session = await signIn(stack(), person, {});
    const guess = (currentPassword: string) =>
      asSession(stack(), session, { method: 'POST', url: '/api/auth/password', payload: { currentPassword, newPassword: 'the attacker password' }, headers: from('198.51.100.99') });
    expectError(await guess('guess number one'), 403, 'FORBIDDEN');
    expectError(await guess('guess number two'), 403, 'FORBIDDEN');
    const refused = await guess(password);
    expectError(refused, 429, 'RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expectError(await login(stack(), { email: person.email, password: 'the attacker password' }, from('198.51.100.98')), 429, 'RATE_LIMITED');
  });
});
