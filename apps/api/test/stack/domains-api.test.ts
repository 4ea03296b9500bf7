import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '@berth/api/app';
import { createLogger } from '@berth/shared/logger';
import { createRedis, type Redis } from '@berth/shared/redis';
import { routesChannel } from '@berth/shared/redis-keys';
import { RedisStatusPublisher } from '@berth/shared/status-publisher';
import { waitFor } from '@berth/testing/ports';
import { authHeaders, startStack, type Stack } from '@berth/testing/stack';

// The domain routes on real Postgres and Redis (no worker, no Caddy): projects come from queued deployments.
let stack: Stack;
let subscriber: Redis;
const pokes: string[] = [];
beforeAll(async () => {
  // HTTPS on 443: the URLs carry no port (the e2e test covers another port). DOMAIN_VERIFICATION=off: a name
  // is verified when added, so the TLS ask below says yes at once (the DNS proof: security/domain-ownership).
  stack = await startStack({ workers: 0, router: false, env: { PUBLIC_HTTPS_PORT: '443', DOMAIN_VERIFICATION: 'off' } });
  for (const name of ['shop', 'blog']) await createProject(name);
  subscriber = createRedis(inject('redisUrl'));
  subscriber.on('message', (_channel: string, message: string) => pokes.push(message));
  await subscriber.subscribe(routesChannel(stack.instance));
});
afterAll(async () => {
  await subscriber?.quit();
  await stack?.close();
});

async function createProject(name: string) {
  const res = await stack.inject({ method: 'POST', url: '/api/deployments', payload: { gitUrl: `https://example.com/acme/${name}.git`, name } });
  expect(res.statusCode).toBe(202);
}

const add = (project: string, payload: unknown, headers: Record<string, string> = {}) =>
  stack.inject({ method: 'POST', url: `/api/projects/${project}/domains`, payload: payload as object, headers });
const list = (project: string) => stack.inject({ method: 'GET', url: `/api/projects/${project}/domains` });
const remove = (project: string, hostname: string) =>
  stack.inject({ method: 'DELETE', url: `/api/projects/${project}/domains/${encodeURIComponent(hostname)}` });
const ask = (query: string) => stack.api.inject({ method: 'GET', url: `/api/tls/allowed${query}` });

function expectError(res: { statusCode: number; json(): any }, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  expect(res.json()).toEqual({ error: { code, message: expect.any(String) } });
}

describe('custom domains API', () => {
  it('adds a domain (201), lists it and removes it (200 with the removed item), poking router-sync each time', async () => {
    pokes.length = 0;
    const res = await add('shop', { hostname: 'www.shop.example.test' });
    expect(res.statusCode).toBe(201);
    const item = res.json();
    expect(item).toEqual({
      hostname: 'www.shop.example.test',
      project: 'shop',
      url: 'https://www.shop.example.test',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      // Changed on purpose (issue 24, door 10): a domain has a status; with verification off it is verified when added.
      status: 'verified',
      verifiedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    await waitFor('the poke for the added domain', () => pokes.length > 0, 5000);

    expect((await add('shop', { hostname: 'shop.example.test' })).statusCode).toBe(201);
    const listed = await list('shop');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items.map((d: any) => d.hostname)).toEqual(['www.shop.example.test', 'shop.example.test']);
    expect(listed.json().items[0]).toEqual(item);
    expect((await list('blog')).json()).toEqual({ items: [] });

    pokes.length = 0;
    const removed = await remove('shop', 'www.shop.example.test');
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toEqual(item);
    await waitFor('the poke for the removed domain', () => pokes.length > 0, 5000);
    expect((await list('shop')).json().items.map((d: any) => d.hostname)).toEqual(['shop.example.test']);
  });

  it('answers 404 for a project that does not exist', async () => {
    expectError(await add('nope', { hostname: 'nope.example.test' }), 404, 'NOT_FOUND');
    expectError(await list('nope'), 404, 'NOT_FOUND');
    expectError(await remove('nope', 'nope.example.test'), 404, 'NOT_FOUND');
  });

  it('answers 404 when removing a domain the project does not have (absent, or another project’s)', async () => {
    expectError(await remove('shop', 'never.example.test'), 404, 'NOT_FOUND');
    expect((await add('blog', { hostname: 'blog.example.test' })).statusCode).toBe(201);
    expectError(await remove('shop', 'blog.example.test'), 404, 'NOT_FOUND');
    expect((await list('blog')).json().items.map((d: any) => d.hostname)).toEqual(['blog.example.test']);
  });

  it('answers 409 for a hostname any project has already, its own included', async () => {
    expect((await add('blog', { hostname: 'taken.example.test' })).statusCode).toBe(201);
    expectError(await add('shop', { hostname: 'taken.example.test' }), 409, 'CONFLICT');
    expectError(await add('blog', { hostname: 'taken.example.test' }), 409, 'CONFLICT');
    expect((await list('shop')).json().items.map((d: any) => d.hostname)).not.toContain('taken.example.test');
  });

  it('answers 400 for a hostname that is not a lowercase DNS name outside the base domain', async () => {
    const bad = [
      'App.Example.test', // not lowercase
      'example', // no dot
      'localhost', // the base domain
      'app.localhost', // under the base domain
      'a.b.localhost',
      '10.0.0.1', // IPv4
      '127.1',
      '::1', // IPv6
      '[::1]',
      `${'a'.repeat(64)}.example.test`, // label too long
      `${'abcdefghi.'.repeat(25)}example.test`, // 262 characters
      'under_score.example.test',
      '-dash.example.test',
      'dash-.example.test',
      'double..dot.example.test',
      'trailing.dot.example.test.',
      '.leading.example.test',
      '*.example.test',
      'app.example.test:8443',
      'https://app.example.test',
      'app.example.test/path',
      'sp ace.example.test',
      '',
    ];
    for (const hostname of bad) {
      const res = await add('shop', { hostname });
      expect(res.statusCode, hostname).toBe(400);
      expect(res.json().error.code, hostname).toBe('VALIDATION_FAILED');
    }
    expectError(await add('shop', {}), 400, 'VALIDATION_FAILED');
    expectError(await add('shop', { hostname: 42 }), 400, 'VALIDATION_FAILED');
    expectError(await add('shop', { hostname: 'ok.example.test', extra: 1 }), 400, 'VALIDATION_FAILED');
    expect((await list('shop')).json().items.map((d: any) => d.hostname)).toEqual(['shop.example.test']);
    // The 400 says which rule was broken.
    expect((await add('shop', { hostname: 'app.localhost' })).json().error.message).toMatch(/base domain/);
    expect((await add('shop', { hostname: '10.0.0.1' })).json().error.message).toMatch(/IP address/);
    expect((await add('shop', { hostname: 'Shop.example.test' })).json().error.message).toMatch(/lowercase/);
  });

  it('accepts the longest valid names and punycode', async () => {
    const long = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(56)}.test`;
    expect(long).toHaveLength(253);
    expect((await add('blog', { hostname: long })).statusCode).toBe(201);
    expect((await add('blog', { hostname: 'xn--bcher-kva.example' })).statusCode).toBe(201);
    expect((await add('blog', { hostname: 'localhost.example.test' })).statusCode).toBe(201); // only names under the base domain are Berth's
  });

  // Changed on purpose (issue 25): domains are a project admin's, so a token needs scope admin; a deploy token is refused now.
  it('lets read tokens list, and only admin tokens add or remove (deploy tokens are refused)', async () => {
    const tokens: Record<string, string> = {};
    for (const scope of ['read', 'deploy', 'admin']) {
      tokens[scope] = (await stack.inject({ method: 'POST', url: '/api/tokens', payload: { name: `domains-${scope}`, scope } })).json().token;
    }
    const as = (scope: string) => ({ authorization: `Bearer ${tokens[scope]}` });
    expect((await stack.api.inject({ method: 'GET', url: '/api/projects/shop/domains', headers: as('read') })).statusCode).toBe(200);
    expectError(await add('shop', { hostname: 'read.example.test' }, as('read')), 403, 'FORBIDDEN');
    expectError(
      await stack.api.inject({ method: 'DELETE', url: '/api/projects/shop/domains/shop.example.test', headers: as('read') }),
      403,
      'FORBIDDEN',
    );
    expectError(await add('shop', { hostname: 'deploy.example.test' }, as('deploy')), 403, 'FORBIDDEN');
    expect((await add('shop', { hostname: 'deploy.example.test' }, as('admin'))).statusCode).toBe(201);
    expectError(
      await stack.api.inject({ method: 'DELETE', url: '/api/projects/shop/domains/deploy.example.test', headers: as('deploy') }),
      403,
      'FORBIDDEN',
    );
    expect(
      (await stack.api.inject({ method: 'DELETE', url: '/api/projects/shop/domains/deploy.example.test', headers: as('admin') })).statusCode,
    ).toBe(200);
    expectError(await stack.api.inject({ method: 'GET', url: '/api/projects/shop/domains' }), 401, 'UNAUTHORIZED');
  });

  it('still answers 201 when the router-sync poke cannot be published (the periodic resync applies it)', async () => {
    const deadRedis = createRedis('redis://127.0.0.1:1', { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
    const announceRoutes = () => new RedisStatusPublisher(deadRedis, stack.instance).announceRoutes();
    const app = await buildApp({ ...stack.apiDeps(), announceRoutes, logger: createLogger('test', 'silent') });
    try {
      const res = await app.inject({ method: 'POST', url: '/api/projects/blog/domains', headers: authHeaders, payload: { hostname: 'offline.example.test' } });
      expect(res.statusCode).toBe(201);
      expect((await list('blog')).json().items.map((d: any) => d.hostname)).toContain('offline.example.test');
    } finally {
      await app.close();
      deadRedis.disconnect();
    }
  });
});

describe("Caddy's TLS ask endpoint", () => {
  it('answers 200 for a registered hostname and 404 for anything else, without a token and without a body', async () => {
    expect((await add('shop', { hostname: 'ask.example.test' })).statusCode).toBe(201);
    const yes = await ask('?domain=ask.example.test');
    expect(yes.statusCode).toBe(200);
    expect(yes.body).toBe('');
    // DNS names are case-insensitive; a client's SNI may not be lowercase.
    expect((await ask('?domain=ASK.example.test')).statusCode).toBe(200);
    for (const query of ['?domain=other.example.test', '?domain=', '', '?domain=localhost', '?domain=ask.example.test.', `?domain=${'a'.repeat(300)}`, '?name=ask.example.test']) {
      const no = await ask(query);
      expect(no.statusCode, query).toBe(404);
      expect(no.body, query).toBe('');
    }
    // Gone with the domain.
    expect((await remove('shop', 'ask.example.test')).statusCode).toBe(200);
    expect((await ask('?domain=ask.example.test')).statusCode).toBe(404);
  });
});
