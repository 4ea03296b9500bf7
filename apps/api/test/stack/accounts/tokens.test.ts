import { describe, expect, it } from 'vitest';
import { asBearer, asSession, expectError, makePerson, makeProject, signIn, useAccountsStack } from './accounts-setup.ts';

const stack = useAccountsStack();

describe('personal access tokens', () => {
  it('belong to their maker, show lastUsedAt, may be limited to projects, and never exceed their owner', async () => {
    const dev = await makePerson(stack());
    const mine = await makeProject(stack(), dev);
    const theirs = await makeProject(stack());
    const session = await signIn(stack(), dev);
    const make = (payload: Record<string, unknown>) => asSession(stack(), session, { method: 'POST', url: '/api/tokens', payload });

    const limited = await make({ name: 'ci', scope: 'deploy', projects: [mine] });
    expect(limited.statusCode, limited.body).toBe(201);
    expect(limited.json()).toMatchObject({ ownerUserId: dev.id, projects: [mine], scope: 'deploy', lastUsedAt: null, expiresAt: null });
    const secret = limited.json().token as string;
    expect((await asBearer(stack(), secret, { method: 'GET', url: `/api/projects/${mine}` })).statusCode).toBe(200);
    const listed = (await asSession(stack(), session, { method: 'GET', url: '/api/tokens' })).json().items;
    expect(listed).toHaveLength(1);
    expect(listed[0].lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(secret);

    // A project the maker cannot see: as if it did not exist. One that does not exist: the same.
    expectError(await make({ name: 'x', scope: 'read', projects: [theirs] }), 404, 'NOT_FOUND');
    expectError(await make({ name: 'x', scope: 'read', projects: ['no-such-project'] }), 404, 'NOT_FOUND');
    // A token cannot hand out more than it holds, and a project-limited token makes none.
    const readToken = (await make({ name: 'r', scope: 'read' })).json().token as string;
    expectError(await asBearer(stack(), readToken, { method: 'POST', url: '/api/tokens', payload: { name: 'up', scope: 'admin' } }), 403, 'FORBIDDEN');
    expectError(await asBearer(stack(), secret, { method: 'POST', url: '/api/tokens', payload: { name: 'more', scope: 'read' } }), 403, 'FORBIDDEN');
    // A member's token is no owner: it cannot list everyone.
    expectError(await asBearer(stack(), readToken, { method: 'GET', url: '/api/users' }), 403, 'FORBIDDEN');
  });

  it('refuses bad expiries and project lists on instance tokens, and expires', async () => {
    const dev = await makePerson(stack());
    const session = await signIn(stack(), dev);
    const make = (payload: Record<string, unknown>) => asSession(stack(), session, { method: 'POST', url: '/api/tokens', payload });
    expectError(await make({ name: 'x', scope: 'read', expiresAt: new Date(Date.now() - 1000).toISOString() }), 400, 'VALIDATION_FAILED');
    expectError(await make({ name: 'x', scope: 'read', expiresAt: 'tomorrow' }), 400, 'VALIDATION_FAILED');
    expectError(await make({ name: 'x', scope: 'root' }), 400, 'VALIDATION_FAILED');
    expectError(await make({ name: '', scope: 'read' }), 400, 'VALIDATION_FAILED');
    const project = await makeProject(stack());
    expectError(await stack().inject({ method: 'POST', url: '/api/tokens', payload: { name: 'x', scope: 'read', projects: [project] } }), 400, 'VALIDATION_FAILED');

    const soon = await make({ name: 'soon', scope: 'read', expiresAt: new Date(Date.now() + 60_000).toISOString() });
    expect(soon.statusCode, soon.body).toBe(201);
    // A token that expires makes none that outlives it (nor one that never expires).
    const maker = await make({ name: 'maker', scope: 'admin', expiresAt: new Date(Date.now() + 60_000).toISOString() });
    const byToken = (payload: Record<string, unknown>) => asBearer(stack(), maker.json().token, { method: 'POST', url: '/api/tokens', payload });
    const forever = await byToken({ name: 'forever', scope: 'read' });
    expectError(forever, 403, 'FORBIDDEN');
    expect(forever.json().error.message).toContain('a token it makes needs an expiresAt no later than that');
    expectError(await byToken({ name: 'later', scope: 'read', expiresAt: new Date(Date.now() + 3_600_000).toISOString() }), 403, 'FORBIDDEN');
    const sooner = await byToken({ name: 'sooner', scope: 'read', expiresAt: new Date(Date.now() + 30_000).toISOString() });
    expect(sooner.statusCode, sooner.body).toBe(201);
    await stack().db.db.updateTable('api_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', soon.json().id).execute();
    expectError(await asBearer(stack(), soon.json().token, { method: 'GET', url: '/api/auth/me' }), 401, 'UNAUTHORIZED');
  });

  it('are revoked by their owner or an owner; someone else’s token is not found; revocation is audited', async () => {
    const a = await makePerson(stack());
    const b = await makePerson(stack());
    const sa = await signIn(stack(), a);
    const sb = await signIn(stack(), b);
    const made = (await asSession(stack(), sa, { method: 'POST', url: '/api/tokens', payload: { name: 'a', scope: 'read' } })).json();
    expectError(await asSession(stack(), sb, { method: 'DELETE', url: `/api/tokens/${made.id}` }), 404, 'NOT_FOUND');
    expect((await asSession(stack(), sb, { method: 'GET', url: '/api/tokens' })).json().items).toEqual([]);
    const revoked = await asSession(stack(), sa, { method: 'DELETE', url: `/api/tokens/${made.id}` });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    expect([401, 403]).toContain((await asBearer(stack(), made.token, { method: 'GET', url: '/api/auth/me' })).statusCode);
    expectError(await stack().inject({ method: 'DELETE', url: '/api/tokens/tok_000000000000' }), 404, 'NOT_FOUND');
    // The owners' view: everyone's tokens.
    expect((await stack().inject({ method: 'GET', url: '/api/tokens' })).json().items.map((t: { id: string }) => t.id)).toContain(made.id);
    const audit = (await stack().inject({ method: 'GET', url: `/api/audit?action=token.*&actor=${a.id}` })).json().items;
    expect(audit.map((r: { action: string }) => r.action)).toEqual(['token.revoke', 'token.create']);
  });
});

describe('deploy keys', () => {
  it('are shown once, deploy-scope their one project only, and stop when revoked', async () => {
    const admin = await makePerson(stack());
    const project = await makeProject(stack(), admin);
    const other = await makeProject(stack(), admin);
    const session = await signIn(stack(), admin);
    const url = `/api/projects/${project}/deploy-keys`;
    const created = await asSession(stack(), session, { method: 'POST', url, payload: { name: 'github-actions' } });
    expect(created.statusCode, created.body).toBe(201);
    const { id, key } = created.json();
    expect(key).toMatch(/^berthdk_/);
    expect(created.json()).toMatchObject({ project, name: 'github-actions', createdBy: admin.id, revokedAt: null });
    expect(JSON.stringify((await asSession(stack(), session, { method: 'GET', url })).json())).not.toContain(key);

    expect((await asBearer(stack(), key, { method: 'GET', url: `/api/projects/${project}` })).statusCode).toBe(200);
    expectError(await asBearer(stack(), key, { method: 'GET', url: `/api/projects/${other}` }), 404, 'NOT_FOUND');
    expectError(await asBearer(stack(), key, { method: 'GET', url }), 403, 'FORBIDDEN');
    expectError(await asBearer(stack(), key, { method: 'POST', url: '/api/tokens', payload: { name: 'x', scope: 'read' } }), 403, 'FORBIDDEN');
    expectError(await asBearer(stack(), key, { method: 'POST', url: '/api/users', payload: { email: 'x@example.com' } }), 403, 'FORBIDDEN');

    const revoked = await asSession(stack(), session, { method: 'DELETE', url: `${url}/${id}` });
    expect(revoked.json().revokedAt).not.toBeNull();
    expect([401, 403]).toContain((await asBearer(stack(), key, { method: 'GET', url: `/api/projects/${project}` })).statusCode);
    // Another project's key id, and bad names.
    expectError(await asSession(stack(), session, { method: 'DELETE', url: `/api/projects/${other}/deploy-keys/${id}` }), 404, 'NOT_FOUND');
    expectError(await asSession(stack(), session, { method: 'POST', url, payload: {} }), 400, 'VALIDATION_FAILED');
    const audit = (await stack().inject({ method: 'GET', url: `/api/audit?project=${project}&action=deploy-key.*` })).json().items;
    expect(audit.map((r: { action: string }) => r.action)).toEqual(['deploy-key.revoke', 'deploy-key.create']);
  });

  it('are made by project admins only', async () => {
    const admin = await makePerson(stack());
    const viewer = await makePerson(stack());
    const project = await makeProject(stack(), admin);
    await stack().inject({ method: 'POST', url: `/api/projects/${project}/members`, payload: { userId: viewer.id, role: 'deployer' } });
    const session = await signIn(stack(), viewer);
    expectError(await asSession(stack(), session, { method: 'POST', url: `/api/projects/${project}/deploy-keys`, payload: { name: 'x' } }), 403, 'FORBIDDEN');
    expectError(await asSession(stack(), session, { method: 'GET', url: `/api/projects/${project}/deploy-keys` }), 403, 'FORBIDDEN');
    expectError(await stack().inject({ method: 'GET', url: '/api/projects/no-such-project/deploy-keys' }), 404, 'NOT_FOUND');
  });
});
