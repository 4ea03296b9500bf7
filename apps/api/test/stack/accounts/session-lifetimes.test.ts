import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { asSession, expectError, login, makePerson, sessionOf, useAccountsStack } from './accounts-setup.ts';

// Issue 25 item 2: sessions end when idle and at an absolute time, both the
// operator's settings (SESSION_IDLE_MS, SESSION_MAX_MS), here made short.
const stack = useAccountsStack({ SESSION_IDLE_MS: '2000', SESSION_MAX_MS: '5000' });
const me = { method: 'GET' as const, url: '/api/auth/me' };

describe('session lifetimes are the operator\'s settings', () => {
  it('ends a session nobody used for SESSION_IDLE_MS', async () => {
    const person = await makePerson(stack());
    const session = sessionOf(await login(stack(), { email: person.email, password: person.password }));
    expect((await asSession(stack(), session, me)).statusCode).toBe(200);
    await sleep(2600);
    expectError(await asSession(stack(), session, me), 401, 'UNAUTHORIZED');
  });

  it('ends a session SESSION_MAX_MS after sign-in however much it is used, and its cookie says so', async () => {
    const person = await makePerson(stack());
    const res = await login(stack(), { email: person.email, password: person.password });
    expect(String(res.headers['set-cookie'])).toMatch(/Max-Age=[45](;|$)/);
    const session = sessionOf(res);
    const started = Date.now();
    // Used every half second: never idle, still alive past the idle time.
    while (Date.now() - started < 3500) {
      expect((await asSession(stack(), session, me)).statusCode).toBe(200);
      await sleep(500);
    }
    await sleep(Math.max(0, 5300 - (Date.now() - started)));
    const ended = await asSession(stack(), session, me);
    expectError(ended, 401, 'UNAUTHORIZED');
    expect(ended.json().error.message).toContain('expired');
  });
});
