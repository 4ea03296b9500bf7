import { describe, expect, it } from 'vitest';
import { waitFor } from '@berth/testing/ports';
import { AuditLog } from '@berth/shared/accounts/audit-log';
import { makePerson, makeProject, useAccountsStack } from './accounts-setup.ts';

const stack = useAccountsStack();

interface Row {
  action: string;
  actorKind: string;
  actorName: string | null;
  targetKind: string | null;
  targetId: string | null;
  project: string | null;
  result: string;
  clientAddress: string | null;
  detail: { route?: string; status?: number; names?: string[] };
}

/** The audit rows of `project` (and of nothing when null), newest first, once `count` are there (rows are written after the answer). */
async function rowsOf(project: string, count: number): Promise<Row[]> {
  return waitFor(`${count} audit rows of ${project}`, async () => {
    const rows: Row[] = (await stack().inject({ method: 'GET', url: `/api/audit?project=${project}&limit=500` })).json().items;
    return rows.length >= count ? rows : undefined;
  }, 10_000);
}

// Issue 25 item 6: every state-changing request is one audit row, whichever route made it.
describe('every state-changing request is audited', () => {
  it('records who did what to which project, how it ended and from where; env changes by name only', async () => {
    const project = await makeProject(stack());
    const put = await stack().inject({ method: 'PUT', url: `/api/projects/${project}/env`, payload: { env: { API_KEY: 'sk-very-secret-value' }, buildEnv: { NPM_TOKEN: 'npm-secret-1' } } });
    expect(put.statusCode).toBe(200);
    const bad = await stack().inject({ method: 'PATCH', url: `/api/projects/${project}`, payload: { port: 'not a port' } });
    expect(bad.statusCode).toBe(400);
    const rows = await rowsOf(project, 3);
    expect(JSON.stringify(rows)).not.toMatch(/sk-very-secret-value|npm-secret-1/);
    const env = rows.find((r) => r.action === 'project.env.update')!;
    expect(env).toMatchObject({ actorKind: 'token', actorName: 'admin', targetKind: 'project', targetId: project, result: 'ok', clientAddress: '127.0.0.1' });
    expect(env.detail).toEqual({ route: 'PUT /api/projects/:name/env', status: 200, names: ['API_KEY', 'build:NPM_TOKEN'] });
    expect(rows.find((r) => r.action === 'project.settings.update')).toMatchObject({ result: 'failed', detail: { status: 400 } });
    expect(rows.some((r) => r.action === 'project.create' && r.result === 'ok')).toBe(true);
  });

  it('a refused request is recorded as denied, with the caller it came from; a route that records itself is not recorded twice', async () => {
    const project = await makeProject(stack());
    const person = await makePerson(stack());
    const viewer = await stack().inject({ method: 'POST', url: `/api/projects/${project}/members`, payload: { userId: person.id, role: 'viewer' } });
    expect(viewer.statusCode).toBe(201);
    const revoke = await stack().api.inject({ method: 'DELETE', url: `/api/projects/${project}`, headers: { authorization: 'Bearer berth_nobody_0000000000000000000000000' } });
    expect(revoke.statusCode).toBe(401);
    const rows = await rowsOf(project, 3);
    expect(rows.filter((r) => r.action.startsWith('member.') || r.action === 'project.members.update')).toHaveLength(1);
    expect(rows.find((r) => r.action === 'project.delete')).toMatchObject({ actorKind: 'anonymous', result: 'denied', detail: { status: 401 } });
  });

  it('a deployment route is recorded under its project; reads are not recorded', async () => {
    const project = await makeProject(stack());
    const queued = await stack().inject({ method: 'POST', url: '/api/deployments', payload: { gitUrl: 'https://example.com/acme/a.git', name: project } });
    expect(queued.statusCode).toBe(202);
    const id = queued.json().id as string;
    expect((await stack().inject({ method: 'POST', url: `/api/deployments/${id}/cancel` })).statusCode).toBe(200);
    for (let i = 0; i < 3; i++) await stack().inject({ method: 'GET', url: `/api/deployments/${id}` });
    const rows = await rowsOf(project, 3);
    expect(rows.find((r) => r.action === 'deployment.cancel')).toMatchObject({ targetKind: 'deployment', targetId: id, project, result: 'ok' });
    expect(rows.some((r) => r.detail.route?.startsWith('GET '))).toBe(false);
  });

  it('chains its rows under a key derived from the installation\'s secret key: they verify with it, not without', async () => {
    const project = await makeProject(stack());
    await rowsOf(project, 1);
    const db = stack().db.db;
    const keyed = await AuditLog.keyedBy(db, stack().apiDeps().secrets).verify();
    expect(keyed, JSON.stringify(keyed)).toMatchObject({ ok: true });
    // Plain SHA-256 (anyone who can write the table could compute it) does not make these rows.
    expect((await new AuditLog(db).verify()).ok).toBe(false);
  });
});
