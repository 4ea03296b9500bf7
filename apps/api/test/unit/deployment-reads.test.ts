import { describe, expect, it } from 'vitest';
import type { DeploymentRow } from '@berth/shared/db';
import { DeploymentReads, sharedReads, type DeploymentWithPlace } from '../../src/deployment-reads.ts';

/** A store whose rows the test changes between reads; it records each statement (ids, whether it counted). */
function fakeStore(statuses: Record<string, string>) {
  const statements: { ids: string[]; counted: boolean }[] = [];
  let hold: Promise<void> | undefined;
  return {
    statements,
    statuses,
    /** Statements that start from now on wait for `until` (then it is cleared). */
    holdUntil(until: Promise<void>) {
      hold = until.then(() => void (hold = undefined));
    },
    async getManyWithPlace(ids: readonly string[], countPlace: boolean): Promise<Map<string, DeploymentWithPlace>> {
      statements.push({ ids: [...ids], counted: countPlace });
      // The rows as they are when the statement runs (a read that began before a change does not see it).
      const seen = new Map(ids.filter((id) => statuses[id]).map((id) => [id, statuses[id]!]));
      if (hold) await hold;
      const found = new Map<string, DeploymentWithPlace>();
      for (const [id, status] of seen) found.set(id, { row: { id, status } as DeploymentRow, current: false, queuePosition: countPlace && status === 'queued' ? 99 : null });
      return found;
    },
  };
}

describe('DeploymentReads', () => {
  it('reads the deployments asked for together in one statement, each id once, and takes the places from the queue', async () => {
    const store = fakeStore({ a: 'queued', b: 'canceled', c: 'queued' });
    const asked: string[][] = [];
    const reads = new DeploymentReads(store, { placesOf: async (ids) => (asked.push([...ids]), new Map([['a', 1], ['c', 7]])) });
    let release!: () => void;
    store.holdUntil(new Promise<void>((r) => (release = r)));
    // Two statements may be under way at once; what arrives meanwhile goes together in the next one.
    const first = Promise.all([reads.get('a'), reads.get('b')]);
    const rest = Promise.all([reads.get('b'), reads.get('c'), reads.get('c'), reads.get('missing')]);
    release();
    expect((await first).map((f) => f?.queuePosition)).toEqual([1, null]);
    const [b, c1, c2, missing] = await rest;
    expect([b?.row.status, b?.queuePosition, c1?.queuePosition, c2?.queuePosition, missing]).toEqual(['canceled', null, 7, 7, undefined]);
    expect(store.statements).toEqual([
      { ids: ['a'], counted: false },
      { ids: ['b'], counted: false },
      { ids: ['b', 'c', 'missing'], counted: false },
    ]);
    expect(asked).toEqual([['a'], ['c']]);
  });

  it("falls back on the database's count for a queued deployment the queue does not have waiting, or when Redis fails", async () => {
    const store = fakeStore({ a: 'queued', b: 'queued' });
    const reads = new DeploymentReads(store, { placesOf: async () => new Map([['a', 3]]) });
    expect([(await reads.get('a'))?.queuePosition, (await reads.get('b'))?.queuePosition]).toEqual([3, 99]);
    expect(store.statements.at(-1)).toEqual({ ids: ['b'], counted: true });

    const broken = new DeploymentReads(store, { placesOf: () => Promise.reject(new Error('redis away')) });
    expect((await broken.get('a'))?.queuePosition).toBe(99);
    const none = new DeploymentReads(store, {});
    expect((await none.get('a'))?.queuePosition).toBe(99);
  });

  it('never answers from a read that began before the request arrived: a status changed meanwhile is seen', async () => {
    const store = fakeStore({ a: 'queued' });
    const reads = new DeploymentReads(store, { placesOf: async () => new Map([['a', 1]]) });
    let release!: () => void;
    store.holdUntil(new Promise<void>((r) => (release = r)));
    const before = reads.get('a');
    await Promise.resolve();
    // The status changes (and its event is seen) while that read is under way; a GET now must see it.
    store.statuses.a = 'fetching';
    const after = reads.get('a');
    release();
    expect((await before)?.row.status).toBe('queued');
    expect(await after).toMatchObject({ row: { status: 'fetching' }, queuePosition: null });
  });

  it('shares one read among identical queries asked for together, never across different ones (other projects), and fails each alone', async () => {
    const ran: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const pages = sharedReads(async (q: { projects?: string[]; page: number }) => {
      ran.push(JSON.stringify(q));
      await held;
      if (q.page === 9) throw new Error('bad cursor');
      return { of: q.projects ?? 'all', page: q.page };
    });
    const first = [pages({ page: 1 }), pages({ page: 2 })]; // two batches under way
    const mine = { projects: ['mine'], page: 1 };
    const together = [pages(mine), pages({ ...mine }), pages({ projects: ['theirs'], page: 1 }), pages({ page: 9 })];
    release();
    await Promise.all(first);
    const settled = await Promise.allSettled(together);
    expect(settled.slice(0, 3).map((r) => (r.status === 'fulfilled' ? r.value.of : r.reason))).toEqual([['mine'], ['mine'], ['theirs']]);
    expect(settled[3]).toMatchObject({ status: 'rejected', reason: new Error('bad cursor') });
    expect(ran).toHaveLength(2 + 3);
  });
});
