import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@berth/testing/database';
import { TokenStore } from '@berth/shared/token-store';
import { SseClient } from '@berth/testing/http';
import { clearOfWindowEnd, clearOfWindowTimeoutMs } from '@berth/testing/rate-window';
import { startStack, testToken, type Stack } from '@berth/testing/stack';

let stack: Stack;
// A long window: the 429s below come from the counts, and each test starts clear of the window's end.
const rateWindowMs = 3_600_000;
beforeAll(async () => {
  stack = await startStack({ workers: 0, router: false, env: { DEPLOY_RATE_LIMIT: '3', DEPLOY_RATE_WINDOW_MS: String(rateWindowMs) } });
});
afterAll(async () => {
  await stack?.close();
});

const as = (token: string | undefined) => (token ? { authorization: `Bearer ${token}` } : { authorization: '' });
const deploy = (token: string | undefined) =>
  stack.api.inject({
    method: 'POST',
    url: '/api/deployments',
    headers: token === undefined ? {} : as(token),
    payload: { gitUrl: 'https://example.com/a.git' },
  });

describe('API tokens', () => {
  it('refuses requests without a token (401) and with an unknown one (401), with the error body', async () => {
    for (const res of [
      await deploy(undefined),
      await deploy('berth_not-a-real-token'),
      await stack.api.inject({ method: 'GET', url: '/api/deployments' }),
      await stack.api.inject({ method: 'GET', url: '/api/deployments/abc/logs' }),
      await stack.api.inject({ method: 'GET', url: '/api/events', headers: { authorization: 'Basic abc' } }),
    ]) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    }
  });

  it('keeps health endpoints open', async () => {
    expect((await stack.api.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('creates tokens, shows the secret once, stores only its hash, and 403s a revoked one', async () => {
    const created = await stack.inject({ method: 'POST', url: '/api/tokens', payload: { name: 'ci', scope: 'admin' } });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json();
    expect(token).toMatch(/^berth_/);
    expect((await stack.inject({ method: 'GET', url: '/api/tokens' })).body).not.toContain(token);
    const rows = await stack.db.db.selectFrom('api_tokens').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token);

    expect((await stack.api.inject({ method: 'GET', url: '/api/deployments', headers: as(token) })).statusCode).toBe(200);
    expect((await stack.inject({ method: 'DELETE', url: `/api/tokens/${id}` })).json().revokedAt).not.toBeNull();
    const revoked = await stack.api.inject({ method: 'GET', url: '/api/deployments', headers: as(token) });
    expect(revoked.statusCode).toBe(403);
    expect(revoked.json().error.code).toBe('FORBIDDEN');
  });

  it('lets EventSource clients pass the token as ?token= on event streams only', async () => {
    const sse = await SseClient.open(`${stack.apiUrl}/api/events?token=${testToken}`, { headers: { authorization: '' } });
    sse.close();
    const list = await stack.api.inject({ method: 'GET', url: `/api/deployments?token=${testToken}` });
    expect(list.statusCode).toBe(401);
    await expect(SseClient.open(`${stack.apiUrl}/api/events?token=wrong`, { headers: { authorization: '' } })).rejects.toThrow(
      /401/,
    );
  });

  it('generates one admin token on first start when none is configured, and never again', async () => {
    const db = await createTestDatabase();
    const tokens = new TokenStore(db.db);
    const results = await Promise.all([tokens.bootstrap(undefined), tokens.bootstrap(undefined)]);
    const generated = results.filter(Boolean);
    expect(generated).toHaveLength(1);
    expect((await tokens.check(generated[0]!)).ok).toBe(true);
    expect(await tokens.bootstrap(undefined)).toBeUndefined();
    await db.drop();
  });
});

describe('rate limiting', () => {
  beforeEach(() => clearOfWindowEnd(rateWindowMs), clearOfWindowTimeoutMs);

  it('answers 429 with Retry-After once a token created too many deployments, per token', async () => {
    const other = (await stack.inject({ method: 'POST', url: '/api/tokens', payload: { name: 'other', scope: 'deploy' } })).json().token;
    for (let i = 0; i < 3; i++) expect((await deploy(testToken)).statusCode).toBe(202);
    const limited = await deploy(testToken);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await deploy(other)).statusCode).toBe(202); // another token has its own budget
  });

  it('refuses first (429) whatever else is wrong with the request, and a refused request makes no project', async () => {
    const spent = (await stack.inject({ method: 'POST', url: '/api/tokens', payload: { name: 'spent', scope: 'deploy' } })).json().token;
    for (let i = 0; i < 3; i++) expect((await deploy(spent)).statusCode).toBe(202);
    const send = (payload: object) => stack.api.inject({ method: 'POST', url: '/api/deployments', headers: as(spent), payload });
    // The body is checked and the project read while the limiter answers; its refusal still wins.
    for (const payload of [{ gitUrl: 'https://example.com/a.git', name: 'never-made' }, { gitUrl: 'not a url' }, { name: 'api', gitUrl: 'https://example.com/a.git' }, {}]) {
      const res = await send(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(429);
      expect(res.json().error.code).toBe('RATE_LIMITED');
    }
    expect(await stack.db.db.selectFrom('projects').select('name').where('name', '=', 'never-made').execute()).toEqual([]);
    expect(await stack.db.db.selectFrom('deployments').select('id').where('project', '=', 'never-made').execute()).toEqual([]);
  });
});
