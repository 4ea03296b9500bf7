import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BackupStore } from '@berth/shared/backup-store';
import { SecretBox } from '@berth/shared/secret-box';
import { ServiceStore } from '@berth/shared/service-store';
import { asSession, expectError, makePerson, makeProject, signIn, useAccountsStack } from './accounts-setup.ts';

const stack = useAccountsStack();

// POST …/backups/:id/restore with { into }: a new service of the backup's type and image, and a
// restore queued into it; the backup's service untouched. Each refusal leaves no service behind.
async function projectWithBackup(admin?: Awaited<ReturnType<typeof makePerson>>) {
  const project = await makeProject(stack(), admin);
  const db = stack().db.db;
  const services = new ServiceStore(db, new SecretBox(randomBytes(32)));
  await services.add(project, { type: 'postgres', name: 'db', image: 'postgres:15', version: '15', envName: 'DATABASE_URL', previews: false }, 5);
  const backups = new BackupStore(db);
  const backup = await backups.create(project, 'db', 'backup');
  await backups.finish(backup.id, { status: 'succeeded', bytes: 10 });
  const running = await backups.create(project, 'db', 'backup'); // the original's own backup under way: no bar to restoring into another
  return { project, backup: backup.id, running: running.id, services, backups };
}

const restoreInto = (project: string, id: string, payload: Record<string, unknown>) => ({ method: 'POST' as const, url: `/api/projects/${project}/services/db/backups/${id}/restore`, payload });
const serviceNames = async (project: string) => (await stack().inject({ method: 'GET', url: `/api/projects/${project}/services` })).json().items.map((s: { name: string }) => s.name);

describe('restoring a backup into a new service', () => {
  it("makes a service of the backup's type and image and queues the restore into it; the original untouched", async () => {
    const { project, backup, backups } = await projectWithBackup();
    const res = await stack().inject(restoreInto(project, backup, { into: 'db-copy' }));
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ kind: 'restore', service: 'db-copy', type: 'postgres', backupId: backup, status: 'queued' });
    const listed = (await stack().inject({ method: 'GET', url: `/api/projects/${project}/services` })).json().items;
    expect(listed.find((s: { name: string }) => s.name === 'db-copy')).toMatchObject({ type: 'postgres', image: 'postgres:15', version: '15', envName: 'DB_COPY_URL', previews: false, status: 'creating' });
    expect(listed.find((s: { name: string }) => s.name === 'db')).toMatchObject({ envName: 'DATABASE_URL' });
    expect((await backups.list(project, 'db')).filter((b) => b.kind === 'restore')).toEqual([]); // nothing restored into the original
    const other = await stack().inject(restoreInto(project, backup, { into: 'db-other', envName: 'OTHER_DB' }));
    expect(other.statusCode, other.body).toBe(202);
    expect((await stack().inject({ method: 'GET', url: `/api/projects/${project}/services` })).json().items.find((s: { name: string }) => s.name === 'db-other').envName).toBe('OTHER_DB');
  });

  it('refuses a taken name or variable (409 CONFLICT), a bad body (400), a backup not there (404) or not finished (409), without making a service', async () => {
    const { project, backup, running } = await projectWithBackup();
    expectError(await stack().inject(restoreInto(project, backup, { into: 'db' })), 409, 'CONFLICT');
    expectError(await stack().inject(restoreInto(project, backup, { into: 'copy', envName: 'DATABASE_URL' })), 409, 'CONFLICT');
    expectError(await stack().inject(restoreInto(project, backup, { into: 'Bad_Name' })), 400, 'VALIDATION_FAILED');
    expectError(await stack().inject(restoreInto(project, backup, { envName: 'X_URL' })), 400, 'VALIDATION_FAILED');
    expectError(await stack().inject(restoreInto(project, backup, { into: 'copy', extra: 1 })), 400, 'VALIDATION_FAILED');
    expectError(await stack().inject(restoreInto(project, 'bkp000000000000', { into: 'copy' })), 404, 'NOT_FOUND');
    expectError(await stack().inject({ ...restoreInto(project, backup, { into: 'copy' }), url: `/api/projects/${project}/services/nope/backups/${backup}/restore` }), 404, 'NOT_FOUND');
    expectError(await stack().inject(restoreInto(project, running, { into: 'copy' })), 409, 'CONFLICT');
    expect(await serviceNames(project)).toEqual(['db']);
  });

  it('is for the project\'s admins: a deployer or viewer gets 403, another project\'s admin 404', async () => {
    const [admin, deployer, viewer, stranger] = [await makePerson(stack()), await makePerson(stack()), await makePerson(stack()), await makePerson(stack())];
    const { project, backup } = await projectWithBackup(admin);
    for (const [person, role] of [[deployer, 'deployer'], [viewer, 'viewer']] as const) {
      const added = await stack().inject({ method: 'POST', url: `/api/projects/${project}/members`, payload: { userId: person.id, role } });
      expect(added.statusCode, added.body).toBe(201);
      expectError(await asSession(stack(), await signIn(stack(), person), restoreInto(project, backup, { into: 'copy' })), 403, 'FORBIDDEN');
    }
    await makeProject(stack(), stranger);
    expectError(await asSession(stack(), await signIn(stack(), stranger), restoreInto(project, backup, { into: 'copy' })), 404, 'NOT_FOUND');
    expect(await serviceNames(project)).toEqual(['db']);
    const done = await asSession(stack(), await signIn(stack(), admin), restoreInto(project, backup, { into: 'copy' }));
    expect(done.statusCode, done.body).toBe(202);
  });
});
