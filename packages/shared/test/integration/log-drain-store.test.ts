import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LogDrainStore } from '../../src/log-drain-store.ts';
import { databaseForFile } from '@berth/testing/database';

const database = databaseForFile();

async function deployment(project: string): Promise<string> {
  const id = `d${randomBytes(5).toString('hex')}`;
  await database().store.create({ id, project, sourceType: 'archive', rootDir: '.', port: 3000, env: {}, archive: { format: 'zip', data: Buffer.from(id) } });
  return id;
}

async function lines(deploymentId: string, from: number, to: number): Promise<void> {
  const batch = [];
  for (let seq = from; seq <= to; seq++) batch.push({ seq, ts: new Date().toISOString(), stream: 'build' as const, line: `line ${seq}` });
  await database().logs.append(deploymentId, batch);
}

describe('LogDrainStore: cursors and leases in Postgres', () => {
  it('starts at the end of existing deployments and at the first line of new ones; the cursor never moves back', async () => {
    const drains = new LogDrainStore(database().db);
    const old = await deployment('drained');
    await lines(old, 1, 5);
    const drain = await drains.create('drained', { url: 'syslog+tcp://logs.example:514', secretSealed: null });
    expect(await drains.pending(drain)).toEqual([]); // the old lines went before the drain existed
    await lines(old, 6, 7);
    const fresh = await deployment('drained');
    await lines(fresh, 1, 3);
    expect(await drains.pending(drain)).toEqual([
      { deploymentId: old, afterSeq: 5 },
      { deploymentId: fresh, afterSeq: 0 },
    ]);

    const [leased] = await drains.claimDue('w1', 30_000, 10);
    expect(leased?.id).toBe(drain.id);
    expect(await drains.advance(drain.id, 'w1', { deploymentId: fresh, lastSeq: 3 }, 30_000)).toBe(true);
    expect(await drains.advance(drain.id, 'w1', { deploymentId: fresh, lastSeq: 2 }, 30_000)).toBe(true); // a late, older batch
    expect(await drains.pending(drain)).toEqual([{ deploymentId: old, afterSeq: 5 }]);
  });

  it('leases a drain to one worker at a time; a worker that lost the lease moves no cursor', async () => {
    const drains = new LogDrainStore(database().db);
    const d = await deployment('leased');
    const drain = await drains.create('leased', { url: 'syslog+tcp://logs.example:514', secretSealed: null });
    await lines(d, 1, 2);
    const [first, second] = await Promise.all([drains.claimDue('w1', 30_000, 10), drains.claimDue('w2', 30_000, 10)]);
    expect([first.length, second.length].sort()).toEqual([0, 1]);
    const owner = first.length ? 'w1' : 'w2';
    const other = owner === 'w1' ? 'w2' : 'w1';
    expect(await drains.advance(drain.id, other, { deploymentId: d, lastSeq: 2 }, 30_000)).toBe(false);
    expect(await drains.pending(drain)).toEqual([{ deploymentId: d, afterSeq: 0 }]);
    // An expired lease (its worker died) is taken over.
    await drains.release(drain.id, other); // not its lease: changes nothing
    expect(await drains.claimDue('w3', 30_000, 10)).toEqual([]);
    await database().db.updateTable('log_drains').set({ lease_until: new Date(Date.now() - 1000) }).where('id', '=', drain.id).execute();
    expect((await drains.claimDue('w3', 30_000, 10)).map((r) => r.id)).toEqual([drain.id]);
  });

  it('backs off after a failure, pauses after repeated ones, and a delivered batch makes it active again', async () => {
    const drains = new LogDrainStore(database().db);
    const d = await deployment('flaky');
    const drain = await drains.create('flaky', { url: 'syslog+tcp://logs.example:514', secretSealed: null });
    for (let i = 1; i <= 2; i++) {
      expect((await drains.claimDue('w1', 30_000, 10)).length).toBe(1);
      await drains.recordFailure(drain.id, 'w1', { error: `connect ECONNREFUSED (${i})`, retryInMs: 60_000, pauseAfter: 2 });
      expect(await drains.claimDue('w1', 30_000, 10)).toEqual([]); // backing off
      await drains.retryNow(drain.id);
    }
    const paused = await drains.mustGet('flaky', drain.id);
    expect(paused).toMatchObject({ status: 'paused', failures: 2, last_error: 'connect ECONNREFUSED (2)', lease_owner: null });
    await lines(d, 1, 1);
    expect((await drains.claimDue('w1', 30_000, 10)).length).toBe(1);
    expect(await drains.advance(drain.id, 'w1', { deploymentId: d, lastSeq: 1 }, 30_000)).toBe(true);
    expect(await drains.mustGet('flaky', drain.id)).toMatchObject({ status: 'active', failures: 0, last_error: null });
    await expect(drains.mustGet('other', drain.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a sixth drain of a project', async () => {
    const drains = new LogDrainStore(database().db);
    await database().store.create({ id: `d${randomBytes(5).toString('hex')}`, project: 'many', sourceType: 'archive', rootDir: '.', port: 3000, env: {}, archive: { format: 'zip', data: Buffer.from('x') } });
    for (let i = 0; i < 5; i++) await drains.create('many', { url: `syslog+tcp://logs.example:${514 + i}`, secretSealed: null });
    await expect(drains.assertRoom('many')).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
