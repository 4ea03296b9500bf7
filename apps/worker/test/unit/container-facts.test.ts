import { describe, expect, it } from 'vitest';
import { ContainerFacts } from '../../src/app-metrics/container-facts.ts';

describe('remembered container facts (a restart count here)', () => {
  let clock = 0;
  const counts = () => new ContainerFacts<number>(60_000, () => clock);

  it('reads a new container once, then again only after an event of its deployment', async () => {
    const c = counts();
    let reads = 0;
    const read = (n: number) => async () => (reads++, n);
    expect(await c.of('c1', 'd1', read(0))).toBe(0);
    expect(await c.of('c1', 'd1', read(9))).toBe(0);
    expect(await c.of('c2', 'd2', read(4))).toBe(4);
    expect(reads).toBe(2);
    c.changed('d2'); // another deployment's event: c1's count stays
    expect(await c.of('c1', 'd1', read(9))).toBe(0);
    c.changed('d1');
    expect(await c.of('c1', 'd1', read(1))).toBe(1);
    expect(reads).toBe(3);
  });

  it('reads again past its life (an event that never came)', async () => {
    const c = counts();
    clock = 0;
    await c.of('c1', 'd1', async () => 0);
    clock = 59_999;
    expect(await c.of('c1', 'd1', async () => 3)).toBe(0);
    clock = 60_000;
    expect(await c.of('c1', 'd1', async () => 3)).toBe(3);
  });

  it('does not remember a read an event overtook (it may predate the restart)', async () => {
    const c = counts();
    let release!: (n: number) => void;
    const slow = c.of('c1', 'd1', () => new Promise<number>((r) => (release = r)));
    c.changed('d1'); // the restart happened while the inspect was on its way
    release(0);
    expect(await slow).toBe(0);
    expect(await c.of('c1', 'd1', async () => 1)).toBe(1);
  });

  it('forgets the containers no longer running', async () => {
    const c = counts();
    await c.of('c1', 'd1', async () => 0);
    await c.of('c2', 'd1', async () => 0);
    c.keepOnly(new Set(['c2']));
    expect(c.size).toBe(1);
  });
});
