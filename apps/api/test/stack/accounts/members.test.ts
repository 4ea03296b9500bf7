import { describe, expect, it } from 'vitest';
import { asSession, expectError, makePerson, makeProject, signIn, useAccountsStack } from './accounts-setup.ts';

const stack = useAccountsStack();

describe('project members', () => {
  it('an admin adds, lists, changes and removes members; each change is audited', async () => {
    const admin = await makePerson(stack());
    const dev = await makePerson(stack());
    const project = await makeProject(stack(), admin);
    const session = await signIn(stack(), admin);
    const url = `/api/projects/${project}/members`;

    const added = await asSession(stack(), session, { method: 'POST', url, payload: { email: dev.email.toUpperCase(), role: 'viewer' } });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ userId: dev.id, email: dev.email, role: 'viewer' });
    const listed = (await asSession(stack(), session, { method: 'GET', url })).json().items;
    expect(listed.map((m: { userId: string; role: string }) => [m.userId, m.role]).sort()).toEqual([[admin.id, 'admin'], [dev.id, 'viewer']].sort());

    const changed = await asSession(stack(), session, { method: 'PATCH', url: `${url}/${dev.id}`, payload: { role: 'deployer' } });
    expect(changed.json()).toMatchObject({ role: 'deployer' });
    expect((await asSession(stack(), session, { method: 'DELETE', url: `${url}/${dev.id}` })).statusCode).toBe(204);

    const audit = (await stack().inject({ method: 'GET', url: `/api/audit?project=${project}&action=member.*` })).json().items;
    expect(audit.map((r: { action: string }) => r.action)).toEqual(['member.remove', 'member.update', 'member.add', 'member.add']);
    expect(audit[0]).toMatchObject({ actorKind: 'user', actorId: admin.id, targetId: dev.id, project });
  });

  it('refuses what would break it: a second add, an unknown user, a bad role, the last admin, a non-member', async () => {
    const admin = await makePerson(stack());
    const project = await makeProject(stack(), admin);
    const session = await signIn(stack(), admin);
    const url = `/api/projects/${project}/members`;
    expectError(await asSession(stack(), session, { method: 'POST', url, payload: { userId: admin.id, role: 'viewer' } }), 409, 'CONFLICT');
    expectError(await asSession(stack(), session, { method: 'POST', url, payload: { email: 'nobody@example.com', role: 'viewer' } }), 404, 'NOT_FOUND');
    expectError(await asSession(stack(), session, { method: 'POST', url, payload: { userId: admin.id, role: 'owner' } }), 400, 'VALIDATION_FAILED');
    expectError(await asSession(stack(), session, { method: 'POST', url, payload: { role: 'viewer' } }), 400, 'VALIDATION_FAILED');
    expectError(await asSession(stack(), session, { method: 'POST', url, payload: { email: admin.email, userId: admin.id, role: 'viewer' } }), 400, 'VALIDATION_FAILED');
    expectError(await asSession(stack(), session, { method: 'PATCH', url: `${url}/${admin.id}`, payload: { role: 'viewer' } }), 409, 'CONFLICT');
    expectError(await asSession(stack(), session, { method: 'DELETE', url: `${url}/${admin.id}` }), 409, 'CONFLICT');
    expectError(await asSession(stack(), session, { method: 'DELETE', url: `${url}/usr_000000000000` }), 404, 'NOT_FOUND');
    expectError(await asSession(stack(), session, { method: 'PATCH', url: `${url}/usr_000000000000`, payload: { role: 'viewer' } }), 404, 'NOT_FOUND');
  });

  it('is an admin’s business: a deployer or viewer is refused (403); someone outside the project sees no project (404)', async () => {
    const admin = await makePerson(stack());
    const deployer = await makePerson(stack());
    const outsider = await makePerson(stack());
    const project = await makeProject(stack(), admin);
    await stack().inject({ method: 'POST', url: `/api/projects/${project}/members`, payload: { userId: deployer.id, role: 'deployer' } });
    const url = `/api/projects/${project}/members`;
    const asDeployer = await signIn(stack(), deployer);
    expectError(await asSession(stack(), asDeployer, { method: 'GET', url }), 403, 'FORBIDDEN');
    expectError(await asSession(stack(), asDeployer, { method: 'POST', url, payload: { userId: outsider.id, role: 'admin' } }), 403, 'FORBIDDEN');
    const asOutsider = await signIn(stack(), outsider);
    expectError(await asSession(stack(), asOutsider, { method: 'GET', url }), 404, 'NOT_FOUND');
    expectError(await asSession(stack(), asOutsider, { method: 'POST', url, payload: { userId: outsider.id, role: 'admin' } }), 404, 'NOT_FOUND');
    expectError(await stack().api.inject({ method: 'GET', url }), 401, 'UNAUTHORIZED');
    // An owner (here the admin token) reaches any project; a project that does not exist is 404.
    expect((await stack().inject({ method: 'GET', url })).statusCode).toBe(200);
    expectError(await stack().inject({ method: 'GET', url: '/api/projects/no-such-project/members' }), 404, 'NOT_FOUND');
  });
});
