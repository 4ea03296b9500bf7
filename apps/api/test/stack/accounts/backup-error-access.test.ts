import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BackupStore } from '@berth/shared/backup-store';
import { SecretBox } from '@berth/shared/secret-box';
import { ServiceStore } from '@berth/shared/service-store';
import { asBearer, asSession, makePerson, makeProject, signIn, useAccountsStack } from './accounts-setup.ts';

const stack = useAccountsStack();

// A failed restore's tool output quotes the service's rows (pg_restore's `Key (email)=(…)`). Who
// reads the project sees the failure's code and Berth's sentence; only who may read its secrets
// (its admins, an owner, an admin token: project.secrets.read) sees the output, in errorDetail.
const secret = 'alice@secret.example';
const detail = `pg_restore: error: could not execute query: ERROR:  duplicate key value violates unique constraint "users_email_key"\nDETAIL:  Key (email)=(${secret}) already exists.`;

/** A project with a Postgres service whose restore failed quoting a row; its name. */
async function projectWithFailedRestore(admin: Awaited<ReturnType<typeof makePerson>>): Promise<string> {
  const project = await makeProject(stack(), admin);
  const db = stack().db.db;
  await new ServiceStore(db, new SecretBox(randomBytes(32))).add(project, { type: 'postgres', name: 'db', image: 'postgres:16', version: '16', envName: 'DATABASE_URL', previews: false }, 5);
  const backups = new BackupStore(db);
  const backup = await backups.create(project, 'db', 'backup');
  await backups.finish(backup.id, { status: 'succeeded', bytes: 10 });
  const restore = await backups.create(project, 'db', 'restore', backup.id);
  await backups.finish(restore.id, { status: 'failed', errorCode: 'BACKUP_FAILED', errorMessage: 'pg_restore exited with 1: a constraint refused a row of the dump', errorDetail: detail });
  return project;
}

describe("a failed backup's tool output, by who asks", () => {
  it('viewers, deployers, read tokens and deploy keys get the code and the sentence; admins and the admin token the output too', async () => {
    const [admin, deployer, viewer] = [await makePerson(stack()), await makePerson(stack()), await makePerson(stack())];
    const project = await projectWithFailedRestore(admin);
    for (const [person, role] of [[deployer, 'deployer'], [viewer, 'viewer']] as const) {
      const added = await stack().inject({ method: 'POST', url: `/api/projects/${project}/members`, payload: { userId: person.id, role } });
      expect(added.statusCode, added.body).toBe(201);
    }
    const reader = (await stack().inject({ method: 'POST', url: '/api/tokens', payload: { name: 'reader', scope: 'read' } })).json().token as string;
    const deployKey = (await stack().inject({ method: 'POST', url: `/api/projects/${project}/deploy-keys`, payload: { name: 'ci' } })).json().key as string;
    const list = { method: 'GET' as const, url: `/api/projects/${project}/services/db/backups` };

    const callers = {
      viewer: await asSession(stack(), await signIn(stack(), viewer), list),
      deployer: await asSession(stack(), await signIn(stack(), deployer), list),
      'read token': await asBearer(stack(), reader, list),
      'deploy key': await asBearer(stack(), deployKey, list),
      admin: await asSession(stack(), await signIn(stack(), admin), list),
      'admin token': await stack().inject(list),
    };
    const seen = Object.entries(callers).map(([who, res]) => {
      expect(res.statusCode, `${who}: ${res.body}`).toBe(200);
      const failed = res.json().items.find((b: { kind: string }) => b.kind === 'restore');
      return [who, failed.errorCode, failed.errorMessage, failed.errorDetail, res.body.includes(secret)];
    });
    const sentence = 'pg_restore exited with 1: a constraint refused a row of the dump';
    expect(seen).toEqual([
      ['viewer', 'BACKUP_FAILED', sentence, null, false],
      ['deployer', 'BACKUP_FAILED', sentence, null, false],
      ['read token', 'BACKUP_FAILED', sentence, null, false],
      ['deploy key', 'BACKUP_FAILED', sentence, null, false],
      ['admin', 'BACKUP_FAILED', sentence, detail, true],
      ['admin token', 'BACKUP_FAILED', sentence, detail, true],
    ]);
  });
});
