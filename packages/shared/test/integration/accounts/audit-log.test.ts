import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@berth/testing/database';
import { AuditLog, toAuditRow } from '../../../src/accounts/audit-log.ts';
import { auditChainKey, auditHash, genesisHash, type AuditEntry } from '../../../src/accounts/audit-chain.ts';

let t: TestDatabase;
beforeEach(async () => {
  t = await createTestDatabase();
});
afterEach(async () => {
  await t?.drop();
});

const entry = (over: Partial<AuditEntry> = {}): AuditEntry => ({
  actorKind: 'user',
  actorId: 'usr_ada',
  actorName: 'ada@example.com',
  action: 'deployment.promote',
  targetKind: 'deployment',
  targetId: 'abc123',
  project: 'shop',
  clientAddress: '203.0.113.7',
  result: 'ok',
  detail: { from: 'x', to: 'y' },
  ...over,
});

/** Rows written straight into the table with chosen times (as if appended days ago), chained like AuditLog does. */
async function seedOld(count: number, daysAgo: number): Promise<void> {
  let prevHash = genesisHash;
  for (let i = 0; i < count; i++) {
    const { rows } = await sql<{ id: number }>`select nextval('audit_log_id_seq') as id`.execute(t.db);
    const unhashed = {
      id: rows[0]!.id,
      at: new Date(Date.now() - daysAgo * 24 * 3600_000 + i * 1000),
      actorKind: 'system' as const,
      actorId: null,
      actorName: null,
      action: 'old.thing',
      targetKind: null,
      targetId: null,
      project: null,
      clientAddress: null,
      result: 'ok' as const,
      detail: { i },
      prevHash,
    };
    const hash = auditHash(unhashed);
    await t.db.insertInto('audit_log').values(toAuditRow({ ...unhashed, hash })).execute();
    prevHash = hash;
  }
}

describe('AuditLog', () => {
  it('chains every appended row to the one before, concurrent appends too, and verifies the chain', async () => {
    const log = new AuditLog(t.db, auditChainKey(randomBytes(32)));
    const first = await log.append(entry());
    expect(first.prevHash).toBe(genesisHash);
    await Promise.all(Array.from({ length: 20 }, (_, i) => log.append(entry({ action: 'auth.login', detail: { i } }))));
    const rows = await t.db.selectFrom('audit_log').select(['id', 'prev_hash', 'hash', 'at']).orderBy('id').execute();
    expect(rows).toHaveLength(21);
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
      expect(rows[i]!.at.getTime()).toBeGreaterThanOrEqual(rows[i - 1]!.at.getTime());
    }
    expect(await log.verify(7)).toEqual({ ok: true, rows: 21, firstId: rows[0]!.id, lastId: rows[20]!.id });
    // Without the key (or with another) the same chain does not verify.
    expect((await new AuditLog(t.db).verify()).ok).toBe(false);
  });

  it('appends batches in one transaction, chained in order, beside single appends, and the whole chain verifies', async () => {
    const log = new AuditLog(t.db);
    expect(await log.appendMany([])).toEqual([]);
    const batches = await Promise.all([
      log.appendMany(Array.from({ length: 50 }, (_, i) => entry({ detail: { batch: 'a', i } }))),
      log.append(entry({ action: 'auth.login' })),
      log.appendMany(Array.from({ length: 30 }, (_, i) => entry({ detail: { batch: 'b', i } }))),
    ]);
    const a = batches[0];
    for (let i = 1; i < a.length; i++) expect(a[i]!.prevHash).toBe(a[i - 1]!.hash);
    expect(a.map((r) => r.detail.i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(await log.verify(13)).toMatchObject({ ok: true, rows: 81 });
  });

  it('appends inside the caller\'s transaction: a rolled-back change leaves no row and no hole in the chain', async () => {
    const log = new AuditLog(t.db);
    await log.append(entry());
    await expect(
      t.db.transaction().execute(async (trx) => {
        await log.append(entry({ action: 'project.delete' }), trx);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await t.db.transaction().execute((trx) => log.append(entry({ action: 'project.env.update' }), trx));
    expect((await log.query({})).entries.map((e) => e.action)).toEqual(['project.env.update', 'deployment.promote']);
    expect(await log.verify()).toMatchObject({ ok: true, rows: 2 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE from the role the API uses', async () => {
    const log = new AuditLog(t.db);
    const row = await log.append(entry());
    await expect(t.db.updateTable('audit_log').set({ result: 'denied' }).where('id', '=', row.id).execute()).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(t.db.deleteFrom('audit_log').where('id', '=', row.id).execute()).rejects.toThrow(/append-only: DELETE refused/);
    await expect(sql`truncate audit_log`.execute(t.db)).rejects.toThrow(/append-only: TRUNCATE refused/);
    // The transaction-local setting retention uses does not open recent rows either.
    await expect(
      t.db.transaction().execute(async (trx) => {
        await sql`select set_config('berth.audit_prune_before', ${new Date(Date.now() + 3600_000).toISOString()}, true)`.execute(trx);
        await trx.deleteFrom('audit_log').execute();
      }),
    ).rejects.toThrow(/append-only: DELETE refused/);
    expect(await log.verify()).toMatchObject({ ok: true, rows: 1 });
  });

  it('finds a row edited behind the trigger\'s back (by the table owner turning it off)', async () => {
    const log = new AuditLog(t.db);
    for (let i = 0; i < 4; i++) await log.append(entry({ detail: { i } }));
    const victim = (await log.query({ limit: 4 })).entries[2]!;
    await sql`alter table audit_log disable trigger audit_log_append_only`.execute(t.db);
    await t.db.updateTable('audit_log').set({ actor_name: 'nobody' }).where('id', '=', victim.id).execute();
    await sql`alter table audit_log enable trigger audit_log_append_only`.execute(t.db);
    expect(await log.verify()).toMatchObject({ ok: false, brokenAt: victim.id, reason: 'hash' });
  });

  it('pages newest first and filters by project, projects, actor, action and action kind', async () => {
    const log = new AuditLog(t.db);
    await log.append(entry({ project: 'shop', action: 'token.create' }));
    await log.append(entry({ project: 'blog', action: 'token.revoke', actorId: 'usr_bob' }));
    await log.append(entry({ project: 'shop', action: 'deployment.promote' }));
    await log.append(entry({ project: null, action: 'auth.login', result: 'denied', actorKind: 'anonymous', actorId: null }));
    await log.append(entry({ project: 'blog', action: 'deployment.rollback' }));
    const actions = async (q: Parameters<AuditLog['query']>[0]) => (await log.query(q)).entries.map((e) => e.action);
    expect(await actions({})).toEqual(['deployment.rollback', 'auth.login', 'deployment.promote', 'token.revoke', 'token.create']);
    expect(await actions({ project: 'shop' })).toEqual(['deployment.promote', 'token.create']);
    expect(await actions({ projects: ['blog'] })).toEqual(['deployment.rollback', 'token.revoke']);
    expect(await actions({ projects: [] })).toEqual([]);
    expect(await actions({ actorId: 'usr_bob' })).toEqual(['token.revoke']);
    expect(await actions({ action: 'token.*' })).toEqual(['token.revoke', 'token.create']);
    expect(await actions({ action: 'auth.login' })).toEqual(['auth.login']);

    const page1 = await log.query({ limit: 2 });
    expect(page1.entries.map((e) => e.action)).toEqual(['deployment.rollback', 'auth.login']);
    const page2 = await log.query({ limit: 2, before: page1.nextBefore! });
    expect(page2.entries.map((e) => e.action)).toEqual(['deployment.promote', 'token.revoke']);
    const page3 = await log.query({ limit: 2, before: page2.nextBefore! });
    expect(page3).toMatchObject({ nextBefore: null });
    expect(page3.entries.map((e) => e.action)).toEqual(['token.create']);
    expect(page3.entries[0]).toMatchObject({ actorName: 'ada@example.com', clientAddress: '203.0.113.7', detail: { from: 'x', to: 'y' } });
  });

  it('prunes rows past retention through audit_log_prune only, keeps the chain verifiable, and records the prune', async () => {
    await seedOld(5, 10);
    const log = new AuditLog(t.db);
    for (let i = 0; i < 3; i++) await log.append(entry({ detail: { i } }));
    expect(await log.verify()).toMatchObject({ ok: true, rows: 8 });
    await expect(log.prune(0)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(sql`select audit_log_prune(interval '1 hour')`.execute(t.db)).rejects.toThrow(/at least one day/);
    expect(await log.prune(30)).toBe(0);
    expect(await log.prune(7)).toBe(5);
    const left = await log.query({});
    expect(left.entries.map((e) => e.action)).toEqual(['audit.prune', 'audit.prune', ...Array(3).fill('deployment.promote')]);
    expect(left.entries[0]!.detail).toEqual({ removed: 5, keepDays: 7 });
    expect(await log.verify()).toMatchObject({ ok: true, rows: 5 });
  });

  it('never prunes the newest row, so the chain goes on from it', async () => {
    await seedOld(3, 10);
    const log = new AuditLog(t.db);
    expect(await log.prune(1)).toBe(2);
    const rows = await t.db.selectFrom('audit_log').select(['action', 'prev_hash', 'hash']).orderBy('id').execute();
    expect(rows.map((r) => r.action)).toEqual(['old.thing', 'audit.prune']);
    expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
  });

  it('shows a gap made with the retention setting by hand in old rows as a broken link', async () => {
    await seedOld(4, 10);
    const log = new AuditLog(t.db);
    await t.db.transaction().execute(async (trx) => {
      await sql`select set_config('berth.audit_prune_before', ${new Date(Date.now() - 2 * 24 * 3600_000).toISOString()}, true)`.execute(trx);
      await trx.deleteFrom('audit_log').where(sql<boolean>`detail->>'i' = '1'`).execute();
    });
    expect(await log.verify()).toMatchObject({ ok: false, reason: 'link' });
  });
});
