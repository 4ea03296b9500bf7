import { describe, expect, it } from 'vitest';
import { asSession, expectError, makePerson, makeProject, signIn, useAccountsStack } from './accounts-setup.ts';

const stack = useAccountsStack();

describe('the audit log', () => {
  it('shows owners everything, project admins their projects only, and nobody else anything', async () => {
    const admin = await makePerson(stack());
    const viewer = await makePerson(stack());
    const mine = await makeProject(stack(), admin);
    const theirs = await makeProject(stack());
    await stack().inject({ method: 'POST', url: `/api/projects/${theirs}/deploy-keys`, payload: { name: 'other' } });
    await stack().inject({ method: 'POST', url: `/api/projects/${mine}/members`, payload: { userId: viewer.id, role: 'viewer' } });

    const asAdmin = await signIn(stack(), admin);
    const page = (await asSession(stack(), asAdmin, { method: 'GET', url: '/api/audit' })).json();
    expect(page.items.length).toBeGreaterThan(0);
    expect(new Set(page.items.map((r: { project: string }) => r.project))).toEqual(new Set([mine]));
    expectError(await asSession(stack(), asAdmin, { method: 'GET', url: `/api/audit?project=${theirs}` }), 404, 'NOT_FOUND');

    const asViewer = await signIn(stack(), viewer);
    expectError(await asSession(stack(), asViewer, { method: 'GET', url: '/api/audit' }), 403, 'FORBIDDEN');
    expectError(await asSession(stack(), asViewer, { method: 'GET', url: `/api/audit?project=${mine}` }), 403, 'FORBIDDEN');
    expectError(await stack().api.inject({ method: 'GET', url: '/api/audit' }), 401, 'UNAUTHORIZED');

    const all = (await stack().inject({ method: 'GET', url: '/api/audit?limit=500' })).json().items;
    expect(all.some((r: { project: string | null }) => r.project === theirs)).toBe(true);
    expect(all.some((r: { action: string }) => r.action === 'auth.login')).toBe(true);
  });

  it('pages newest first with nextBefore, and refuses bad queries', async () => {
    await makePerson(stack());
    await makePerson(stack());
    const first = (await stack().inject({ method: 'GET', url: '/api/audit?limit=2' })).json();
    expect(first.items).toHaveLength(2);
    expect(first.items[0].id).toBeGreaterThan(first.items[1].id);
    const second = (await stack().inject({ method: 'GET', url: `/api/audit?limit=2&before=${first.nextBefore}` })).json();
    expect(second.items[0].id).toBeLessThan(first.items[1].id);
    for (const q of ['limit=0', 'limit=501', 'before=abc', 'surprise=1']) {
      expectError(await stack().inject({ method: 'GET', url: `/api/audit?${q}` }), 400, 'VALIDATION_FAILED');
    }
  });
});
