import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EventRelay } from '@berth/api/event-relay';
import { createRedis } from '@berth/shared/redis';
import { tokensChannel } from '@berth/shared/redis-keys';
import { buildApp } from '@berth/api/app';
import { createLogger } from '@berth/shared/logger';
import { TokenStore } from '@berth/shared/token-store';
import { tokenScopes, scopeAllows, type TokenScope } from '@berth/shared/token-scope';
import { policy, type Action } from '@berth/shared/accounts/policy';
import { SseClient } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { startStack, testToken, type Stack } from '@berth/testing/stack';

let stack: Stack;
const tokens: Record<TokenScope, string> = { admin: testToken, deploy: '', read: '' };
beforeAll(async () => {
  stack = await startStack({ workers: 0, router: false, env: { TOKEN_RECHECK_MS: '200' } });
  for (const scope of ['deploy', 'read'] as const) {
    const res = await stack.inject({ method: 'POST', url: '/api/tokens', payload: { name: `${scope}-token`, scope } });
    expect(res.statusCode).toBe(201);
    expect(res.json().scope).toBe(scope);
    tokens[scope] = res.json().token;
  }
});
afterAll(async () => {
  await stack?.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const mkToken = async (name: string) =>
  (await stack.inject({ method: 'POST', url: '/api/tokens', payload: { name, scope: 'deploy' } })).json() as { id: string; token: string };
/** A real project and deployment for the routes' parameters: the policy decides on what exists (a missing one is 404 to everyone). */
async function fixtures(): Promise<(url: string) => string> {
  expect((await stack.inject({ method: 'POST', url: '/api/projects', payload: { name: 'scopes' } })).statusCode).toBe(201);
  const made = await stack.inject({ method: 'POST', url: '/api/deployments', payload: { name: 'scopes', gitUrl: 'https://example.com/a.git' } });
  expect(made.statusCode, made.body).toBe(202);
  const id = made.json().id as string;
  return (url) => url.replace(':name', 'scopes').replace(':id', id).replace(/:[A-Za-z]+/g, 'abcdefghijkl');
}

describe('scoped tokens', () => {
  it('refuses (403) every route to every instance token whose scope is below what the route’s action needs', async () => {
    const concrete = await fixtures();
    const tried: string[] = [];
    for (const route of stack.api.routeAccess.filter((r) => r.action !== 'public' && r.method !== 'HEAD')) {
      for (const scope of tokenScopes) {
        if (scopeAllows(scope, policy[route.action as Action].scope)) continue;
        // The one route whose project is in its body: it decides once it has read it.
        const payload = route.project === 'handler' && route.method === 'POST' ? { name: 'scopes', gitUrl: 'https://example.com/a.git' } : undefined;
        const res = await stack.api.inject({ method: route.method as 'GET', url: concrete(route.url), headers: bearer(tokens[scope]), ...(payload ? { payload } : {}) });
        expect(res.statusCode, `${scope} → ${route.method} ${route.url}`).toBe(403);
        expect(res.json().error.code).toBe('FORBIDDEN');
        tried.push(`${scope} ${route.method} ${route.url}`);
      }
    }
    expect(tried).toContain('read POST /api/deployments');
    expect(tried).toContain('deploy POST /api/tokens');
    expect(tried).toContain('read DELETE /api/deployments/:id');
  });

  it('lets read tokens read, deploy tokens deploy and cancel, and only admin tokens manage tokens', async () => {
    expect((await stack.api.inject({ method: 'GET', url: '/api/deployments', headers: bearer(tokens.read) })).statusCode).toBe(200);
    const created = await stack.api.inject({
      method: 'POST',
      url: '/api/deployments',
      headers: bearer(tokens.deploy),
      payload: { gitUrl: 'https://example.com/a.git' },
    });
    expect(created.statusCode).toBe(202);
    const id = created.json().id;
    expect((await stack.api.inject({ method: 'GET', url: `/api/deployments/${id}`, headers: bearer(tokens.read) })).statusCode).toBe(200);
    expect((await stack.api.inject({ method: 'POST', url: `/api/deployments/${id}/cancel`, headers: bearer(tokens.read) })).statusCode).toBe(403);
    expect((await stack.api.inject({ method: 'POST', url: `/api/deployments/${id}/cancel`, headers: bearer(tokens.deploy) })).statusCode).toBe(200);
    expect((await stack.api.inject({ method: 'GET', url: '/api/tokens', headers: bearer(tokens.deploy) })).statusCode).toBe(403);
    expect((await stack.api.inject({ method: 'GET', url: '/api/tokens', headers: bearer(tokens.admin) })).statusCode).toBe(200);
  });

  it('needs a valid scope to create a token, and no token can mint one wider than its own', async () => {
    for (const payload of [{ name: 'x' }, { name: 'x', scope: 'root' }, { name: 'x', scope: '' }]) {
      const res = await stack.inject({ method: 'POST', url: '/api/tokens', payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    for (const holder of ['deploy', 'read'] as const) {
      for (const scope of tokenScopes) {
        const res = await stack.api.inject({ method: 'POST', url: '/api/tokens', headers: bearer(tokens[holder]), payload: { name: 'x', scope } });
        expect(res.statusCode).toBe(403);
      }
    }
    const count = await stack.db.db.selectFrom('api_tokens').select('id').where('name', '=', 'x').execute();
    expect(count).toEqual([]);
  });

  it('ends a revoked token’s open event streams, at once through this API and within seconds when revoked elsewhere', async () => {
    const mk = async (name: string) =>
      (await stack.inject({ method: 'POST', url: '/api/tokens', payload: { name, scope: 'read' } })).json() as { id: string; token: string };
    const viaApi = await mk('watcher-1');
    const elsewhere = await mk('watcher-2');
    const a = await SseClient.open(`${stack.apiUrl}/api/events`, { headers: bearer(viaApi.token) });
    const b = await SseClient.open(`${stack.apiUrl}/api/events`, { headers: bearer(elsewhere.token) });
    const keep = await SseClient.open(`${stack.apiUrl}/api/events`, { headers: bearer(tokens.read) });

    expect((await stack.inject({ method: 'DELETE', url: `/api/tokens/${viaApi.id}` })).statusCode).toBe(200);
    await waitFor('the revoked token’s stream to end', () => a.ended, 2000);
    expect(a.events.map((e) => e.event)).toContain('unauthorized');

    // Revoked by another API process (here: straight in the database): the periodic re-check ends it.
    await stack.db.db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', elsewhere.id).execute();
    await waitFor('the stream of a token revoked elsewhere to end', () => b.ended, 5000);
    expect(keep.ended).toBe(false);
    keep.close();
    await waitFor('streams to be released', () => stack.relay.listenerCount() === 0, 5000);
  });

  it('refuses a revoked token’s requests at once on the revoking API and within TOKEN_RECHECK_MS on another', async () => {
    // A second API process on the same database and Redis; both have just let the token in (and remember it).
    const other = await buildApp({ ...stack.apiDeps(), logger: createLogger('test', 'silent') });
    try {
      const made = await mkToken('requester');
      const get = (app: typeof other) => app.inject({ method: 'GET', url: '/api/deployments', headers: bearer(made.token) });
      for (const app of [stack.api, other]) expect((await get(app)).statusCode).toBe(200);

      expect((await stack.inject({ method: 'DELETE', url: `/api/tokens/${made.id}` })).statusCode).toBe(200);
      const here = await get(stack.api);
      expect(here.statusCode).toBe(403);
      expect(here.json().error).toEqual({ code: 'FORBIDDEN', message: 'this API token has been revoked' });
      // The stack's TOKEN_RECHECK_MS is 200 ms; the wait allows for a busy machine, the unit test (token-cache.test.ts) pins the bound.
      await waitFor('the other API to refuse the revoked token', async () => (await get(other)).statusCode === 403, 5000);
      expect((await other.inject({ method: 'POST', url: '/api/deployments', headers: bearer(made.token), payload: { gitUrl: 'https://example.com/a.git' } })).statusCode).toBe(403);

      // Revoked straight in the database (no API announced it): the bound alone.
      const quiet = await mkToken('quiet');
      const getQuiet = () => stack.api.inject({ method: 'GET', url: '/api/deployments', headers: bearer(quiet.token) });
      expect((await getQuiet()).statusCode).toBe(200);
      await stack.db.db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', quiet.id).execute();
      await waitFor('a token revoked in the database to be refused', async () => (await getQuiet()).statusCode === 403, 5000);
    } finally {
      await other.close();
    }
  });

  it('tells every other API of a revocation over Redis: refused there at once, however long TOKEN_RECHECK_MS is', async () => {
    // Its own relay (its own subscription, as a separate process has) and a cache that would keep the token a minute.
    const relay = new EventRelay(createRedis(inject('redisUrl')), stack.instance, createLogger('test', 'silent'));
    await relay.start();
    const config = { ...stack.apiConfig, TOKEN_RECHECK_MS: 60_000 };
    const other = await buildApp({ ...stack.apiDeps(), relay, config, logger: createLogger('test', 'silent') });
    try {
      const made = await mkToken('far-away');
      const get = () => other.inject({ method: 'GET', url: '/api/deployments', headers: bearer(made.token) });
      expect((await get()).statusCode).toBe(200);
      expect((await stack.inject({ method: 'DELETE', url: `/api/tokens/${made.id}` })).statusCode).toBe(200);
      await waitFor('the revocation to reach the other API', async () => (await get()).statusCode === 403, 5000);
      // Noise on the channel is ignored.
      await stack.apiDeps().redis.publish(tokensChannel(stack.instance), 'not a token id\n');
      expect((await other.inject({ method: 'GET', url: '/api/deployments', headers: bearer(tokens.read) })).statusCode).toBe(200);
    } finally {
      await other.close();
      await relay.close();
    }
  });

  it('replaces the bootstrap admin token when BERTH_ADMIN_TOKEN changes: the old one gets 401', async () => {
    const store = new TokenStore(stack.db.db);
    const next = 'berth_rotated_admin_token_9876543210';
    await store.bootstrap(next);
    // Changed by another API's start: this one may have let the old secret in within TOKEN_RECHECK_MS (200 ms here).
    await waitFor('the old admin token to be refused', async () => (await stack.api.inject({ method: 'GET', url: '/api/tokens', headers: bearer(testToken) })).statusCode === 401, 5000);
    const old = await stack.api.inject({ method: 'GET', url: '/api/tokens', headers: bearer(testToken) });
    expect(old.statusCode).toBe(401);
    expect((await stack.api.inject({ method: 'GET', url: '/api/tokens', headers: bearer(next) })).statusCode).toBe(200);
    await store.bootstrap(testToken); // the stack's other users go on with the original

    // Revoked, it stays revoked across restarts (bootstrap runs at every API start) until the secret changes.
    expect((await stack.inject({ method: 'DELETE', url: '/api/tokens/tok_admin' })).statusCode).toBe(200);
    await store.bootstrap(testToken);
    expect((await stack.api.inject({ method: 'GET', url: '/api/tokens', headers: bearer(testToken) })).statusCode).toBe(403);
    await store.bootstrap(next);
    expect((await stack.api.inject({ method: 'GET', url: '/api/tokens', headers: bearer(next) })).statusCode).toBe(200);
    await stack.db.db.updateTable('api_tokens').set({ revoked_at: null }).where('id', '=', 'tok_admin').execute();
    await store.bootstrap(testToken);
  });
});
