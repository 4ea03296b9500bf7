import { describe, expect, it } from 'vitest';
import { asBearer, asSession, makePerson, makeProject, signIn, useAccountsStack } from './accounts-setup.ts';

const stack = useAccountsStack();

const deployerActions = ['deployment.create', 'deployment.promote', 'deployment.rollback', 'deployment.redeploy', 'deployment.cancel', 'deployment.stop', 'deployment.scale', 'deployment.exec', 'project.runs.start', 'project.backups.create', 'project.drains.update'];
const viewerActions = ['project.read', 'project.logs.read'];

/** GET /api/projects/:name as `as` (a session, or a bearer secret); answers its `access`. */
async function accessAs(project: string, as: { session?: Awaited<ReturnType<typeof signIn>>; bearer?: string }) {
  const opts = { method: 'GET' as const, url: `/api/projects/${project}` };
  const res = as.session ? await asSession(stack(), as.session, opts) : as.bearer ? await asBearer(stack(), as.bearer, opts) : await stack().inject(opts);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().access as { role: string | null; actions: string[] };
}

describe("a project's answer says what the caller may do there (the dashboard offers only that)", () => {
  it('viewer, deployer and admin get their role and exactly the actions the policy allows them', async () => {
    const admin = await makePerson(stack());
    const deployer = await makePerson(stack());
    const viewer = await makePerson(stack());
    const project = await makeProject(stack(), admin);
    for (const [person, role] of [[deployer, 'deployer'], [viewer, 'viewer']] as const) {
      const added = await stack().inject({ method: 'POST', url: `/api/projects/${project}/members`, payload: { userId: person.id, role } });
      expect(added.statusCode, added.body).toBe(201);
    }

    const asViewer = await accessAs(project, { session: await signIn(stack(), viewer) });
    expect(asViewer.role).toBe('viewer');
    expect(asViewer.actions.sort()).toEqual([...viewerActions].sort());

    const asDeployer = await accessAs(project, { session: await signIn(stack(), deployer) });
    expect(asDeployer.role).toBe('deployer');
    expect(asDeployer.actions.sort()).toEqual([...viewerActions, ...deployerActions].sort());

    const asAdmin = await accessAs(project, { session: await signIn(stack(), admin) });
    expect(asAdmin.role).toBe('admin');
    expect(asAdmin.actions).toEqual(expect.arrayContaining(['project.settings.update', 'project.env.update', 'project.members.update', 'project.delete', 'project.backups.download', 'project.backups.restore', ...deployerActions]));
  });

  it('an owner and the admin token act as admin; a read token as admin whose scope allows only reading; a deploy key is no one', async () => {
    const owner = await makePerson(stack(), { role: 'owner' });
    const project = await makeProject(stack());
    const asOwner = await accessAs(project, { session: await signIn(stack(), owner) });
    expect(asOwner.role).toBe('admin');
    expect(asOwner.actions).toContain('project.delete');
    expect((await accessAs(project, {})).actions).toContain('project.members.update');

    const made = await stack().inject({ method: 'POST', url: '/api/tokens', payload: { name: 'reader', scope: 'read' } });
    expect(made.statusCode, made.body).toBe(201);
    const asReader = await accessAs(project, { bearer: made.json().token });
    expect(asReader.role).toBe('admin');
    expect(asReader.actions.sort()).toEqual([...viewerActions, 'project.members.read'].sort());

    const key = await stack().inject({ method: 'POST', url: `/api/projects/${project}/deploy-keys`, payload: { name: 'ci' } });
    expect(key.statusCode, key.body).toBe(201);
    const asKey = await accessAs(project, { bearer: key.json().key });
    expect(asKey.role).toBeNull();
    expect(asKey.actions.sort()).toEqual(['deployment.create', ...viewerActions].sort());
  });

  it('a list of projects carries no access (it is about one project), and a member who creates a project is its admin at once', async () => {
    const member = await makePerson(stack());
    const session = await signIn(stack(), member);
    const name = `p${Math.random().toString(36).slice(2, 9)}`;
    const created = await asSession(stack(), session, { method: 'POST', url: '/api/projects', payload: { name } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().access.role).toBe('admin');
    const listed = await asSession(stack(), session, { method: 'GET', url: '/api/projects' });
    expect(listed.json().items.map((p: { name: string }) => p.name)).toEqual([name]);
    expect(listed.json().items[0].access).toBeUndefined();
  });
});
