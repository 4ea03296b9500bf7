import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, startStack, type Stack } from '@berth/testing/stack';

// Issue 24, door 9: the doors open without a credential (the git hook, Caddy's TLS question) cost a
// database query each and were not throttled, nor were guesses of tokens. Now each client address
// gets STRANGER_RATE_LIMIT of them per window, then 429 with Retry-After.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ workers: 0, router: false, env: { STRANGER_RATE_LIMIT: '5', STRANGER_RATE_WINDOW_MS: '60000' } });
});
afterAll(async () => {
  await stack?.close();
});

/** A request as Caddy passes it on from a client at `address` (the API believes X-Forwarded-For from loopback only). */
const from = (address: string, url: string, headers: Record<string, string> = {}, method: 'GET' | 'POST' = 'GET') =>
  stack.api.inject({ method, url, headers: { 'x-forwarded-for': address, ...headers }, ...(method === 'POST' ? { payload: '{}' } : {}) });
const guess = (address: string) => from(address, '/api/projects', { authorization: 'Bearer berth_not_a_real_token_000000000000000' });

async function fiveThenRefused(send: () => Promise<{ statusCode: number; headers: Record<string, unknown>; json(): any }>, allowed: number) {
  for (let i = 0; i < 5; i++) expect((await send()).statusCode).toBe(allowed);
  const refused = await send();
  expect(refused.statusCode).toBe(429);
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  return refused;
}

describe('requests without a valid credential, per client address', () => {
  it('token guesses: 401 five times, then 429; the address is then refused before any lookup, even with a good token; others go on', async () => {
    const refused = await fiveThenRefused(() => guess('203.0.113.7'), 401);
    expect(refused.json()).toEqual({ error: { code: 'RATE_LIMITED', message: expect.stringContaining('without a valid credential') } });
    expect((await from('203.0.113.7', '/api/projects', authHeaders)).statusCode).toBe(429);
    expect((await from('203.0.113.8', '/api/projects', authHeaders)).statusCode).toBe(200);
    expect((await guess('203.0.113.8')).statusCode).toBe(401);
    // Good credentials do not count: an address that only uses them is never refused.
    for (let i = 0; i < 8; i++) expect((await from('203.0.113.9', '/api/projects', authHeaders)).statusCode).toBe(200);
  });

  it('git hook deliveries: five unsigned ones answered 401, then 429', async () => {
    await fiveThenRefused(() => from('203.0.113.20', '/api/hooks/git/nosuch', { 'content-type': 'application/json' }, 'POST'), 401);
  });

  it("Caddy's TLS question: five answered, then 429 (Caddy takes any answer but 200 as no)", async () => {
    await fiveThenRefused(() => from('203.0.113.30', '/api/tls/allowed?domain=x.example.test'), 404);
  });

  it('a client that connects directly cannot pick its own key with X-Forwarded-For', async () => {
    let n = 0;
    const direct = () =>
      stack.api.inject({ method: 'GET', url: '/api/tls/allowed?domain=y.example.test', remoteAddress: '198.51.100.4', headers: { 'x-forwarded-for': `192.0.2.${n++}` } });
    await fiveThenRefused(direct, 404);
  });
});
