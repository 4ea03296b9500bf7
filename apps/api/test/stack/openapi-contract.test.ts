import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { hmacHex } from '@berth/shared/webhook-signature';
import { openApiPath } from '../../src/openapi.ts';
import { zipTestApp } from '@berth/testing/archives';
import { multipartBody } from '@berth/testing/http';
import { settled } from '@berth/testing/deployments';
import { startStack, testToken, type Stack } from '@berth/testing/stack';
import { ContractValidator } from './openapi-validator.ts';
import { backupsCase, drainsCase, requestMetricsCase, runsAndJobsCase, templateIn, terminalCase, webhooksCase } from './openapi-contract-cases.ts';

// Every route in the contract, called for real (Postgres, Redis, a worker, Docker): each answer's status must be documented and its body match the schema.
const contract = new ContractValidator();
const covered = new Set<string>();
let stack: Stack;
let running: { id: string };
let preview: { id: string };

/** Deploys the hello app to project shop through multipart; waits until it runs. */
async function deployHello(fields: Record<string, string>) {
  const res = await call('POST', '/api/deployments', {
    ...(await multipartBody({ name: 'shop', ...fields }, { name: 'app.zip', data: await zipTestApp('hello') })),
  });
  expect(res.statusCode).toBe(202);
  const done = await settled(stack, res.json().id, 120_000);
  expect(done).toMatchObject({ status: 'running' });
  return done;
}

beforeAll(async () => {
  stack = await startStack({ workers: 1, router: false, env: { WEBHOOK_ALLOW_PRIVATE_HOSTS: 'true', DOMAIN_VERIFICATION: 'off' } });
  running = await deployHello({});
  preview = await deployHello({ promote: 'false' });
  // From here on nothing builds: what the tests queue stays queued (cancel and stop answer deterministically).
  await stack.workers[0]!.close();
}, 240_000);
afterAll(async () => {
  await stack?.close();
});

/** A request through the app (admin token unless the caller sets one), checked against the contract. */
async function call(method: string, url: string, opts: Omit<InjectOptions, 'method' | 'url'> = {}) {
  const template = templateOf(method, url);
  const res = await stack.inject({ method: method as 'GET', url, ...opts });
  const contentType = String(res.headers['content-type'] ?? '');
  const body = contentType.startsWith('application/json') && res.body ? res.json() : undefined;
  const problems = contract.check(method, template, { status: res.statusCode, contentType, body, empty: res.rawPayload.length === 0 });
  expect(problems, `${method} ${url} → ${res.statusCode} ${res.body.slice(0, 300)}`).toEqual([]);
  covered.add(`${method} ${template}`);
  return res;
}

/** The document's path a concrete URL belongs to (the one whose template matches it). */
const templateOf = templateIn(contract);

const anonymous = { headers: { authorization: '' } };
const readOnly = async () => {
  const res = await call('POST', '/api/tokens', { payload: { name: `ro-${randomUUID().slice(0, 8)}`, scope: 'read' } });
  return { headers: { authorization: `Bearer ${res.json().token}` } };
};

describe('the OpenAPI contract against real answers', () => {
  it('health, the document itself and its pages', async () => {
    expect((await call('GET', '/healthz', anonymous)).statusCode).toBe(200);
    expect((await call('GET', '/readyz', anonymous)).statusCode).toBe(200);
    const doc = await call('GET', '/api/openapi.json', anonymous);
    expect(doc.statusCode).toBe(200);
    expect(doc.json()).toEqual(contract.doc);
    // The docs page works offline: no asset from another origin, and a CSP on its pages.
    const page = await stack.api.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toMatch(/(src|href)="https?:/);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('deployments: create (JSON and multipart), list, read, logs, redeploy, promote, move, cancel, stop', async () => {
    const queued = await call('POST', '/api/deployments', { payload: { gitUrl: 'https://example.com/acme/blog.git', name: 'blog' } });
    expect(queued.statusCode).toBe(202);
    expect((await call('POST', '/api/deployments', { payload: { nope: 1 } })).statusCode).toBe(400);
    expect((await call('POST', '/api/deployments', anonymous)).statusCode).toBe(401);
    expect((await call('GET', '/api/deployments?limit=5')).statusCode).toBe(200);
    expect((await call('GET', '/api/deployments?limit=0')).statusCode).toBe(400);
    expect((await call('GET', `/api/deployments/${running.id}`)).statusCode).toBe(200);
    expect([(await call('GET', '/api/deployments/nosuchdeployment')).statusCode, (await call('GET', `/api/deployments/${running.id}/logs`)).statusCode]).toEqual([404, 200]);
    expect((await call('GET', `/api/deployments/nosuchdeployment/logs`)).statusCode).toBe(404);
    expect([(await call('GET', `/api/deployments/${running.id}/metrics`)).statusCode, (await call('GET', `/api/deployments/${running.id}/metrics?step=0`)).statusCode]).toEqual([200, 400]);
    expect((await call('POST', `/api/deployments/nosuchdeployment/promote`)).statusCode).toBe(404);
    expect((await call('POST', `/api/deployments/${running.id}/cancel`)).statusCode).toBe(409);
    expect((await call('POST', `/api/deployments/${queued.json().id}/cancel`)).statusCode).toBe(200);
    const again = await call('POST', `/api/deployments/${running.id}/redeploy`);
    expect(again.statusCode).toBe(202);
    expect((await call('POST', `/api/deployments/nosuchdeployment/redeploy`)).statusCode).toBe(404);
    expect((await call('DELETE', `/api/deployments/${again.json().id}`)).statusCode).toBe(200);
    expect((await call('DELETE', `/api/deployments/nosuchdeployment`)).statusCode).toBe(404);
    // Moving between runtimes (berth migrate-runtime): only to this installation's, only a live one.
    const move = async (id: string, runtime: unknown) => (await call('POST', `/api/deployments/${id}/move`, { payload: { runtime } })).statusCode;
    expect(await move(running.id, 'docker')).toBe(200); // started by docker mode already: nothing to move
    expect([await move(running.id, 'swarm'), await move(running.id, 'nope'), await move('nosuchdeployment', 'docker')]).toEqual([409, 400, 404]);
    expect(await move(again.json().id, 'docker')).toBe(409); // stopped
    // Scaling (this stack runs docker mode: one replica is all there is).
    const scaled = [1, 0, 2].map(async (replicas) => (await call('PATCH', `/api/deployments/${running.id}`, { payload: { replicas } })).statusCode);
    expect(await Promise.all(scaled)).toEqual([200, 400, 409]);
    expect((await call('PATCH', `/api/deployments/${again.json().id}`, { payload: { replicas: 1 } })).statusCode).toBe(409);
    expect((await call('PATCH', '/api/deployments/nosuchdeployment', { payload: { replicas: 1 } })).statusCode).toBe(404);
  }, 60_000);

  it('event streams: text/event-stream for a deployment and for everything, errors as JSON', async () => {
    for (const path of [`/api/deployments/${running.id}/events`, '/api/events']) {
      const abort = new AbortController();
      const res = await fetch(`${stack.apiUrl}${path}?token=${testToken}`, { signal: abort.signal });
      const problems = contract.check('GET', templateOf('GET', path), { status: res.status, contentType: res.headers.get('content-type') ?? '' });
      abort.abort();
      await res.body?.cancel().catch(() => {});
      expect(problems).toEqual([]);
      expect(res.status).toBe(200);
    }
    expect((await call('GET', '/api/deployments/nosuchdeployment/events')).statusCode).toBe(404);
    expect((await call('GET', '/api/events', anonymous)).statusCode).toBe(401);
  });

  it('projects: create, list, read, update, env, hook secret, deploy, rollback, delete', async () => {
    expect((await call('POST', '/api/projects', { payload: { name: 'docs', gitUrl: 'https://example.com/acme/docs.git' } })).statusCode).toBe(201);
    expect((await call('POST', '/api/projects', { payload: { name: 'docs' } })).statusCode).toBe(409);
    expect((await call('GET', '/api/projects')).statusCode).toBe(200);
    expect([(await call('GET', '/api/projects/shop')).statusCode, (await call('GET', '/api/projects/nosuchproject')).statusCode]).toEqual([200, 404]);
    expect([(await call('PATCH', '/api/projects/docs', { payload: { port: 8080 } })).statusCode, (await call('PATCH', '/api/projects/docs', { payload: { port: 'x' } })).statusCode]).toEqual([200, 400]);
    expect([(await call('PATCH', '/api/projects/docs', { payload: { replicas: 1 } })).statusCode, (await call('PATCH', '/api/projects/docs', { payload: { replicas: 2 } })).statusCode]).toEqual([200, 409]);
    expect((await call('PATCH', '/api/projects/nosuchproject', { payload: { replicas: 1 } })).statusCode).toBe(404);
    expect([(await call('PUT', '/api/projects/docs/env', { payload: { env: { A: '1' } } })).statusCode, (await call('PATCH', '/api/projects/docs/env', { payload: { env: { A: null, B: '2' } } })).statusCode, (await call('GET', '/api/projects/docs/env')).statusCode]).toEqual([200, 200, 200]);
    const auth = '/api/projects/docs/registry-auth';
    expect([(await call('PUT', auth, { payload: { username: 'u', password: 'p' } })).statusCode, (await call('PUT', auth, { payload: { username: 'u' } })).statusCode, (await call('DELETE', auth)).statusCode]).toEqual([200, 400, 200]);
    expect((await call('PUT', '/api/projects/docs/env', { payload: { env: { '1bad': 'x' } } })).statusCode).toBe(400);
    const previewEnv = '/api/projects/docs/preview-env';
    expect([(await call('PUT', previewEnv, { payload: { env: { A: '1' }, buildEnv: { B: '2' } } })).statusCode, (await call('PATCH', previewEnv, { payload: { env: { A: null } } })).statusCode, (await call('GET', previewEnv)).statusCode]).toEqual([200, 200, 200]);
    const patches = [call('PATCH', '/api/projects/docs/preview-env', { payload: { env: { A: 1 } } }), call('PATCH', '/api/projects/docs', { payload: { previewsInheritEnv: true } })];
    expect(await Promise.all(patches.map(async (r) => (await r).statusCode))).toEqual([400, 200]);
    expect((await call('POST', '/api/projects/docs/hook-secret')).statusCode).toBe(200);
    expect((await call('POST', '/api/projects/docs/deployments', { payload: { promote: false } })).statusCode).toBe(202);
    expect([(await call('POST', '/api/projects/docs/deployments', await multipartBody({}))).statusCode, (await call('POST', '/api/projects/docs/deployments', { payload: { image: 'Not An Image' } })).statusCode]).toEqual([400, 400]);
    // The preview takes the URL, then the first release gets it back (it still runs: an instant rollback).
    expect((await call('POST', `/api/deployments/${preview.id}/promote`)).statusCode).toBe(200);
    expect((await call('POST', '/api/projects/shop/rollback', { payload: { deploymentId: running.id } })).statusCode).toBe(200);
    expect((await call('POST', '/api/projects/shop/rollback', { payload: { deploymentId: running.id } })).statusCode).toBe(409);
    expect((await call('POST', '/api/projects/docs/rollback', { payload: {} })).statusCode).toBe(409);
    const [vols, svcs] = ['/api/projects/docs/volumes', '/api/projects/docs/services'];
    expect([(await call('POST', vols, { payload: { name: 'data', mountPath: '/data' } })).statusCode, (await call('POST', vols, { payload: { name: 'Bad!', mountPath: '/etc' } })).statusCode]).toEqual([201, 400]);
    expect([(await call('POST', svcs, { payload: { type: 'redis' } })).statusCode, (await call('POST', svcs, { payload: { type: 'mysql' } })).statusCode, (await call('GET', svcs)).statusCode, (await call('DELETE', `${svcs}/redis?deleteData=true`)).statusCode, (await call('DELETE', `${svcs}/nope`)).statusCode]).toEqual([201, 400, 200, 200, 404]);
    const logSearch = ['?q=x', '?q=(x&regex=true', '?q='].map(async (query) => (await call('GET', `/api/projects/docs/logs${query}`)).statusCode);
    expect(await Promise.all(logSearch)).toEqual([200, 400, 400]);
    expect([(await call('GET', vols)).statusCode, (await call('DELETE', `${vols}/data`)).statusCode, (await call('DELETE', `${vols}/data`)).statusCode]).toEqual([200, 200, 404]);
    expect([(await call('DELETE', '/api/projects/docs')).statusCode, (await call('DELETE', '/api/projects/docs')).statusCode]).toEqual([200, 404]);
  }, 60_000);

  it('runs and jobs: start, list, read, logs, events, cancel; jobs add, list, update, run now, runs, remove', () => runsAndJobsCase({ call, stack, contract, templateOf }), 60_000);
  it('service backups: take, list, download, restore (no worker: they stay queued)', () => backupsCase({ call, stack, contract, templateOf }));

  it('domains and the TLS ask', async () => {
    expect((await call('POST', '/api/projects/shop/domains', { payload: { hostname: 'www.shop.example.test' } })).statusCode).toBe(201);
    expect((await call('POST', '/api/projects/shop/domains', { payload: { hostname: 'not a host' } })).statusCode).toBe(400);
    expect((await call('GET', '/api/projects/shop/domains')).statusCode).toBe(200);
    expect((await call('POST', '/api/projects/shop/domains/www.shop.example.test/verify')).json().status).toBe('verified'); // DOMAIN_VERIFICATION=off above
    expect((await call('GET', '/api/tls/allowed?domain=www.shop.example.test', anonymous)).statusCode).toBe(200);
    expect((await call('GET', '/api/tls/allowed?domain=evil.example.test', anonymous)).statusCode).toBe(404);
    const domain = '/api/projects/shop/domains/www.shop.example.test';
    expect([(await call('DELETE', domain)).statusCode, (await call('DELETE', domain)).statusCode]).toEqual([200, 404]);
  });

  it('webhooks: create, list, deliveries, redeliver, delete', () => webhooksCase({ call, stack, contract, templateOf }));
  it('log drains: add, list, resume, delete', () => drainsCase({ call, stack, contract, templateOf }));

  it('git hooks: a signed ping, an unsigned push', async () => {
    const secret: string = (await call('POST', '/api/projects/shop/hook-secret')).json().hookSecret;
    const ping = '{"zen":"hi"}';
    const headers = { 'content-type': 'application/json', authorization: '', 'x-github-event': 'ping', 'x-github-delivery': randomUUID() };
    const signed = { ...headers, 'x-hub-signature-256': `sha256=${hmacHex(secret, ping)}` };
    expect((await call('POST', '/api/hooks/git/shop', { headers: signed, payload: ping })).statusCode).toBe(200);
    expect((await call('POST', '/api/hooks/git/shop', { headers, payload: ping })).statusCode).toBe(401);
  });

  it('tokens and workers', async () => {
    const created = await call('POST', '/api/tokens', { payload: { name: 'ci', scope: 'deploy' } });
    expect(created.statusCode).toBe(201);
    expect((await call('POST', '/api/tokens', { payload: { name: 'ci', scope: 'root' } })).statusCode).toBe(400);
    expect((await call('GET', '/api/tokens')).statusCode).toBe(200);
    expect((await call('GET', '/api/tokens', await readOnly())).statusCode).toBe(403);
    expect((await call('DELETE', `/api/tokens/${created.json().id}`)).statusCode).toBe(200);
    expect((await call('GET', '/api/workers')).statusCode).toBe(200);
  });

  it('people: sign-in, own account, users, members, deploy keys, tokens, the audit log', async () => {
    const email = `contract-${randomUUID().slice(0, 8)}@example.com`;
    const invited = await call('POST', '/api/users', { payload: { email, role: 'member' } });
    expect(invited.statusCode).toBe(201);
    const { user, link } = invited.json();
    expect((await call('GET', '/api/users')).statusCode).toBe(200);
    expect((await call('POST', '/api/auth/setup', { ...anonymous, payload: { token: link.token, password: 'contract password' } })).statusCode).toBe(200);
    expect((await call('POST', `/api/users/${user.id}/reset`)).statusCode).toBe(200);
    expect((await call('PATCH', `/api/users/${user.id}`, { payload: { role: 'member' } })).statusCode).toBe(200);
    expect((await call('POST', '/api/auth/login', { ...anonymous, payload: { email, password: 'wrong password' } })).statusCode).toBe(401);
    const login = await call('POST', '/api/auth/login', { ...anonymous, payload: { email, password: 'contract password' } });
    expect(login.statusCode).toBe(200);
    const session = { headers: { authorization: '', cookie: String(login.headers['set-cookie']).split(';')[0]!, 'x-berth-csrf': login.json().csrfToken } };
    expect((await call('GET', '/api/auth/me', session)).statusCode).toBe(200);
    expect((await call('POST', '/api/auth/password', { ...session, payload: { currentPassword: 'wrong password', newPassword: 'another password' } })).statusCode).toBe(403);
    expect((await call('POST', '/api/auth/totp', session)).statusCode).toBe(200);
    expect((await call('POST', '/api/auth/totp/confirm', { ...session, payload: { code: 'abcdef' } })).statusCode).toBe(400);
    expect((await call('POST', '/api/auth/totp/disable', { ...session, payload: { password: 'contract password' } })).statusCode).toBe(204);

    const members = '/api/projects/shop/members';
    expect((await call('POST', members, { payload: { userId: user.id, role: 'viewer' } })).statusCode).toBe(201);
    expect((await call('GET', members)).statusCode).toBe(200);
    expect((await call('PATCH', `${members}/${user.id}`, { payload: { role: 'deployer' } })).statusCode).toBe(200);
    expect((await call('DELETE', `${members}/${user.id}`)).statusCode).toBe(204);
    const keys = '/api/projects/shop/deploy-keys';
    const key = await call('POST', keys, { payload: { name: 'ci' } });
    expect(key.statusCode).toBe(201);
    expect((await call('GET', keys)).statusCode).toBe(200);
    expect((await call('DELETE', `${keys}/${key.json().id}`)).statusCode).toBe(200);
    expect((await call('GET', '/api/audit?limit=5')).statusCode).toBe(200);
    expect((await call('GET', '/api/audit', anonymous)).statusCode).toBe(401);
    expect((await call('POST', '/api/auth/logout', session)).statusCode).toBe(204);
  });

  it('metrics', async () => {
    const res = await call('GET', '/metrics', await readOnly());
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('berth_deployments{status="running"}');
    expect((await call('GET', '/metrics', anonymous)).statusCode).toBe(401);
    await requestMetricsCase({ call, stack, contract, templateOf }, running.id);
    await terminalCase({ call, stack, contract, templateOf }, running.id);
  });

  it('has a case for every route in the document and in the route table', () => {
    const documented = Object.entries(contract.doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const table = stack.api.routeAccess
      .filter((r) => r.method !== 'HEAD' && r.url !== '/docs' && !r.url.startsWith('/docs/'))
      // The dashboard's page and files (routes/dashboard.ts) are pages, not operations.
      .filter((r) => r.url !== '/' && r.url !== '/assets/:file')
      .map((r) => `${r.method} ${openApiPath(r.url)}`);
    expect([...new Set(table)].sort()).toEqual(documented.sort());
    expect([...covered].sort()).toEqual(documented.sort());
  });
});
