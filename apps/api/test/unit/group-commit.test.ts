import { describe, expect, it } from 'vitest';
import { eachAloneOnFailure, GroupCommit, type Settled } from '../../src/group-commit.ts';

/** A `run` whose batches finish only when the test says so. */
function heldRun() {
  const batches: { items: number[]; finish: (results: Settled<string>[] | Error) => void }[] = [];
  const run = (items: number[]) =>
    new Promise<Settled<string>[]>((resolve, reject) => {
      batches.push({ items, finish: (r) => (r instanceof Error ? reject(r) : resolve(r)) });
    });
  const ok = (items: number[]) => items.map((i) => ({ ok: true as const, value: `row${i}` }));
  return { batches, run, ok };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('GroupCommit', () => {
  it('sends an item at once when nothing is under way, and groups what arrives meanwhile, in order', async () => {
    const { batches, run, ok } = heldRun();
    const group = new GroupCommit(run, 1, 3);
    const first = group.submit(1);
    expect(batches.map((b) => b.items)).toEqual([[1]]);
    const rest = [2, 3, 4, 5].map((i) => group.submit(i));
    expect(batches).toHaveLength(1);
    batches[0]!.finish(ok([1]));
    expect(await first).toBe('row1');
    await tick();
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3, 4]]); // at most maxBatch
    batches[1]!.finish(ok([2, 3, 4]));
    await tick();
    expect(batches[2]!.items).toEqual([5]);
    batches[2]!.finish(ok([5]));
    expect(await Promise.all(rest)).toEqual(['row2', 'row3', 'row4', 'row5']);
  });

  it('runs up to maxInFlight batches at once', async () => {
    const { batches, run, ok } = heldRun();
    const group = new GroupCommit(run, 2, 100);
    const all = [1, 2, 3, 4].map((i) => group.submit(i));
    expect(batches.map((b) => b.items)).toEqual([[1], [2]]);
    batches[1]!.finish(ok([2]));
    await tick();
    expect(batches.map((b) => b.items)).toEqual([[1], [2], [3, 4]]);
    batches[0]!.finish(ok([1]));
    batches[2]!.finish(ok([3, 4]));
    expect(await Promise.all(all)).toEqual(['row1', 'row2', 'row3', 'row4']);
  });

  it('fails only the item whose result is an error, and the whole batch when run throws', async () => {
    const { batches, run } = heldRun();
    const group = new GroupCommit(run, 1, 100);
    const held = group.submit(0);
    const [a, b] = [group.submit(1), group.submit(2)];
    batches[0]!.finish(new Error('database down'));
    await expect(held).rejects.toThrow('database down');
    await tick();
    const bad = new Error('bad item');
    batches[1]!.finish([{ ok: true, value: 'row1' }, { ok: false, error: bad }]);
    expect(await a).toBe('row1');
    await expect(b).rejects.toBe(bad);
    // A run that answers too few results fails the ones left out, and the group goes on.
    const holder = group.submit(9);
    const [c, d] = [group.submit(3), group.submit(4)];
    batches[2]!.finish([{ ok: true, value: 'row9' }]);
    expect(await holder).toBe('row9');
    await tick();
    expect(batches[3]!.items).toEqual([3, 4]);
    batches[3]!.finish([{ ok: true, value: 'row3' }]);
    expect(await c).toBe('row3');
    await expect(d).rejects.toThrow('no result');
  });

  it('tries each item of a failed many-at-once call on its own, so only the bad one fails', async () => {
    const calls: number[][] = [];
    const run = eachAloneOnFailure(async (items: number[]) => {
      calls.push(items);
      if (items.includes(2)) throw new Error(`bad ${items.join(',')}`);
      return items.map((i) => i * 10);
    });
    const results = await run([1, 2, 3]);
    expect(calls).toEqual([[1, 2, 3], [1], [2], [3]]);
    expect(results).toEqual([{ ok: true, value: 10 }, { ok: false, error: new Error('bad 2') }, { ok: true, value: 30 }]);
    await expect(run([2])).rejects.toThrow('bad 2'); // alone, the error is the batch's
  });
});
