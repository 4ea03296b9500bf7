import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '@berth/shared/accounts/audit-log';
import { SecretBox } from '@berth/shared/secret-box';
import { createTestDatabase, type TestDatabase } from '@berth/testing/database';
import { runOperatorCli } from '@berth/testing/processes';

// Issue 25 item 6: each audit row carries the hash of the one before, made
// with a key derived from the installation's secret key, and
// `npm run berth -- audit verify` checks the chain. Whoever can write the
// table but does not hold the key cannot edit, remove or forge a row unseen.
// A database per test: the chain is the whole table's.
let t: TestDatabase;
beforeEach(async () => {
  t = await createTestDatabase();
});
afterEach(async () => {
  await t?.drop();
});
const database = () => t;

const auditVerify = (env: Record<string, string | undefined>) => runOperatorCli(['audit', 'verify'], env);

const entry = (action: string) => ({ actorKind: 'user' as const, actorId: 'usr_1', actorName: 'ada@example.com', action, project: 'shop', result: 'ok' as const });

describe('audit verify', () => {
  it('passes an intact chain across a key rotation, and names the row that was edited, forged or made without the key', async () => {
    const { db, url } = database();
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    expect(await auditVerify({ DATABASE_URL: url, BERTH_SECRET_KEY: oldKey.toString('hex') })).toEqual({ code: 0, output: 'audit log: no rows yet\n' });
    const [first] = await AuditLog.keyedBy(db, new SecretBox(oldKey)).appendMany([entry('auth.login'), entry('project.env.update')]);
    const rotated = AuditLog.keyedBy(db, new SecretBox(newKey, [oldKey]));
    const [, last] = await rotated.appendMany([entry('auth.login'), entry('deployment.promote')]);

    const both = { DATABASE_URL: url, BERTH_SECRET_KEY: newKey.toString('hex'), BERTH_OLD_SECRET_KEYS: oldKey.toString('hex') };
    expect(await auditVerify(both)).toEqual({ code: 0, output: `audit log: 4 rows (#${first!.id} to #${last!.id}), chain intact\n` });
    // Without the old key, the rows it chained are not the installation's.
    const newOnly = await auditVerify({ DATABASE_URL: url, BERTH_SECRET_KEY: newKey.toString('hex') });
    expect(newOnly.code).toBe(1);
    expect(newOnly.output).toContain(`BROKEN at row #${first!.id}`);

    // A row written by someone without the key (plain SHA-256, or another key) breaks the chain there.
    const forged = await new AuditLog(db).append(entry('member.add'));
    const afterForgery = await auditVerify(both);
    expect(afterForgery.code).toBe(1);
    expect(afterForgery.output).toContain(`BROKEN at row #${forged.id} (5 rows read): its hash is not its own`);
  });

  it('names a row edited behind the append-only trigger\'s back', async () => {
    const { db, url } = database();
    const key = randomBytes(32);
    const log = AuditLog.keyedBy(db, new SecretBox(key));
    const rows = await log.appendMany([entry('auth.login'), entry('project.env.update'), entry('auth.logout')]);
    await sql`alter table audit_log disable trigger audit_log_append_only`.execute(db);
    await db.updateTable('audit_log').set({ action: 'auth.login' }).where('id', '=', rows[1]!.id).execute();
    await sql`alter table audit_log enable trigger audit_log_append_only`.execute(db);
    const res = await auditVerify({ DATABASE_URL: url, BERTH_SECRET_KEY: key.toString('hex') });
    expect(res.code).toBe(1);
    expect(res.output).toContain(`BROKEN at row #${rows[1]!.id}`);
  });

  it('refuses to run on a key file that is not there (it would make a new key)', async () => {
    const res = await auditVerify({ DATABASE_URL: database().url, BERTH_SECRET_KEY: undefined, BERTH_SECRET_KEY_FILE: `/tmp/berth-no-such-key-${randomBytes(4).toString('hex')}` });
    expect(res.code).not.toBe(0);
    expect(res.output).toContain('does not exist');
  });
});
