import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeployKeyStore } from '@berth/shared/accounts/deploy-key-store';
import { SessionStore, sessionCookieName } from '@berth/shared/accounts/session-store';
import { SseClient } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { startStack, type Stack } from '@berth/testing/stack';
import { makeAccessWorld, walkProject, type AccessWorld } from './access-fixtures.ts';

/** Each credential the access hook takes, and each way one stops working, on the real stack. */
let stack: Stack;
let world: AccessWorld;
beforeAll(async () => {
  stack = await startStack({ workers: 0, router: false, env: { DEPLOY_RATE_LIMIT: '100000', TOKEN_RECHECK_MS: '200' } });
  world = await makeAccessWorld(stack, 'creds');
});
afterAll(async () => {
  await stack?.close();
});

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
const rotate = (headers: Record<string, string>) => stack.api.inject({ method: 'POST', url: `/api/projects/${walkProject}/hook-secret`, headers });

describe('the session cookie', () => {
  it('reads without a CSRF token, but changes nothing without it, with a wrong one, or from another site', async () => {
    const admin = world.byName('admin').headers();
    const { 'x-berth-csrf': csrf, ...cookieOnly } = admin;
    expect((await stack.api.inject({ method: 'GET', url: `/api/projects/${walkProject}`, headers: cookieOnly })).statusCode).toBe(200);
    for (const headers of [cookieOnly, { ...cookieOnly, 'x-berth-csrf': 'not-the-token' }, { ...admin, origin: 'https://evil.example' }]) {
      const res = await rotate(headers);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
      expect(res.json().error.message).toMatch(/CSRF|another site/);
    }
    expect(csrf).toBeTruthy();
    expect((await rotate({ ...admin, origin: 'http://localhost:80', host: 'localhost:80' })).statusCode).toBe(200);
    expect((await rotate(admin)).statusCode).toBe(200);
  });

  it('ends: an expired, signed-out or unknown session is 401; a public route still answers (a stale cookie does not lock anyone out)', async () => {
    const sessions = new SessionStore(stack.db.db);
    const userId = world.byName('viewer').userId!;
    const expired = await sessions.create(userId, { now: new Date(Date.now() - 8 * 24 * 3600_000) });
    const signedOut = await sessions.create(userId);
    await sessions.revoke(signedOut.secret);
    for (const secret of [expired.secret, signedOut.secret, 'no-such-session']) {
      const headers = { authorization: '', cookie: `${sessionCookieName}=${secret}` };
      const res = await stack.api.inject({ method: 'GET', url: `/api/projects/${walkProject}`, headers });
      expect(res.statusCode, secret).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHORIZED');
      expect((await stack.api.inject({ method: 'GET', url: '/healthz', headers })).statusCode).toBe(200);
    }
  });
});

describe('open event streams', () => {
  it('end within TOKEN_RECHECK_MS once their session is signed out or their deploy key revoked', async () => {
    const sessions = new SessionStore(stack.db.db);
    const session = await sessions.create(world.byName('viewer').userId!);
    const keys = new DeployKeyStore(stack.db.db);
    const key = await keys.create(walkProject, 'watcher', null);
    const open = (headers: Record<string, string>) => SseClient.open(`${stack.apiUrl}/api/events`, { headers });
    const bySession = await open({ authorization: '', cookie: `${sessionCookieName}=${session.secret}` });
    const byKey = await open(bearer(key.key));
    const kept = await open(world.byName('viewer').headers());
    await sessions.revoke(session.secret);
    await keys.revoke(walkProject, key.info.id);
    await waitFor('the signed-out session’s and the revoked key’s streams to end', () => bySession.ended && byKey.ended, 5000);
    expect(kept.ended).toBe(false);
    kept.close();
  });
});

describe('personal tokens', () => {
  it('record their last use, stop when expired (401) or when their owner is disabled (403)', async () => {
    const deployer = world.byName('deployer').userId!;
    const { token, info } = await world.tokens.create('mine', 'deploy', undefined, { ownerUserId: deployer });
    expect(info.lastUsedAt).toBeNull();
    const get = (secret: string) => stack.api.inject({ method: 'GET', url: `/api/projects/${walkProject}`, headers: bearer(secret) });
    expect((await get(token)).statusCode).toBe(200);
    const used = await stack.db.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', info.id).executeTakeFirstOrThrow();
    expect(used.last_used_at).not.toBeNull();

    const soon = await world.tokens.create('short', 'read', undefined, { ownerUserId: deployer, expiresAt: new Date(Date.now() - 1000) });
    const expired = await get(soon.token);
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.message).toBe('this API token has expired');

    // Never more than the owner: a deployer's admin-scope token is still no project admin.
    const wide = await world.tokens.create('wide', 'admin', undefined, { ownerUserId: deployer });
    expect((await rotate(bearer(wide.token))).statusCode).toBe(403);

    await world.users.disable(deployer);
    await stack.api.access.forgetOwner(deployer);
    const refused = await get(token);
    expect(refused.statusCode).toBe(403);
    await world.users.enable(deployer);
  });

  it('limited to some projects, see only those (404 elsewhere) and no instance-wide route', async () => {
    const limited = world.byName('project-limited token').headers();
    expect((await stack.api.inject({ method: 'GET', url: '/api/projects/elsewhere', headers: limited })).statusCode).toBe(404);
    expect((await stack.api.inject({ method: 'GET', url: '/api/workers', headers: limited })).statusCode).toBe(403);
    expect((await stack.api.inject({ method: 'GET', url: `/api/projects/${walkProject}`, headers: limited })).statusCode).toBe(200);
  });
});

describe('deploy keys', () => {
  it('deploy their project only; revoked is 403, unknown is 401', async () => {
    const keys = new DeployKeyStore(stack.db.db);
    const { key, info } = await keys.create(walkProject, 'revoke-me', null);
    const deploy = () => stack.api.inject({ method: 'POST', url: `/api/projects/${walkProject}/deployments`, headers: bearer(key), payload: {} });
    expect((await deploy()).statusCode).toBe(202);
    await keys.revoke(walkProject, info.id);
    expect((await deploy()).statusCode).toBe(403);
    const unknown = await stack.api.inject({ method: 'GET', url: '/api/projects', headers: bearer('berthdk_not-a-key') });
    expect(unknown.statusCode).toBe(401);
  });
});

describe('deploying', () => {
  it('refuses a caller who can deploy nowhere before it reads the archive (403), and a deploy key a new project (404)', async () => {
    const { token } = await world.tokens.create('read-only', 'read', undefined, { ownerUserId: world.byName('viewer').userId! });
    const boundary = 'berth-test-boundary';
    const body = [`--${boundary}`, 'Content-Disposition: form-data; name="projectArchive"; filename="app.tar.gz"', 'Content-Type: application/gzip', '', 'x'.repeat(64 * 1024), `--${boundary}--`, ''].join('\r\n');
    const res = await stack.api.inject({
      method: 'POST',
      url: '/api/deployments',
      headers: { ...bearer(token), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().error.message).toMatch(/^project.create needs/);
    const key = world.byName('deploy key').headers();
    const fresh = await stack.api.inject({ method: 'POST', url: '/api/deployments', headers: key, payload: { name: 'not-made-yet', gitUrl: 'https://example.com/a.git' } });
    expect(fresh.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'project not-made-yet does not exist' } });
  });
});

describe('making a project', () => {
  it('makes a person its admin (with a session, or with a personal token that sees it at once); an instance token makes nobody admin', async () => {
    const member = world.byName('viewer');
    const made = await stack.api.inject({ method: 'POST', url: '/api/projects', headers: member.headers(), payload: { name: 'made-by-viewer' } });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json().hookSecret).toMatch(/^hooksec_/); // its admin now, so it is shown its hook secret
    expect(await world.members.roleOf('made-by-viewer', member.userId!)).toBe('admin');

    const { token } = await world.tokens.create('creator', 'deploy', undefined, { ownerUserId: member.userId! });
    // The token is remembered with its owner's rights; making a project refreshes them.
    expect((await stack.api.inject({ method: 'GET', url: '/api/projects', headers: bearer(token) })).statusCode).toBe(200);
    const deployed = await stack.api.inject({ method: 'POST', url: '/api/deployments', headers: bearer(token), payload: { name: 'made-by-token', gitUrl: 'https://example.com/a.git' } });
    expect(deployed.statusCode, deployed.body).toBe(202);
    expect(await world.members.roleOf('made-by-token', member.userId!)).toBe('admin');
    expect((await stack.api.inject({ method: 'GET', url: '/api/projects/made-by-token', headers: bearer(token) })).statusCode).toBe(200);
    // A deploy-scope token of the new admin still does not get the secrets (scope bounds it).
    expect((await stack.api.inject({ method: 'POST', url: '/api/projects', headers: bearer(token), payload: { name: 'made-by-token-2' } })).json().hookSecret).toBeUndefined();

    expect((await stack.inject({ method: 'POST', url: '/api/projects', payload: { name: 'made-by-instance' } })).statusCode).toBe(201);
    expect(await world.members.list('made-by-instance')).toEqual([]);
  });
});
