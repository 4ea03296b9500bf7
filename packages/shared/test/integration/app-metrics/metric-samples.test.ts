import { afterAll, describe, expect, it } from 'vitest';
import { AppMetricStore, type AppSample } from '../../../src/app-metrics/metric-samples.ts';
import { createTestDatabase, type TestDatabase } from '@berth/testing/database';

let t: TestDatabase | undefined;
afterAll(async () => {
  await t?.drop();
});

const at = (s: number) => new Date(Date.UTC(2026, 11, 6, 12, 0, s));
const sample = (container: string, s: number, cpuSeconds: number, over: Partial<AppSample> = {}): AppSample => ({
  deploymentId: 'dmetrics1',
  container,
  at: at(s),
  cpuNs: cpuSeconds * 1e9,
  memoryBytes: 50e6,
  memoryLimitBytes: 512e6,
  netRxBytes: s * 1000,
  netTxBytes: s * 2000,
  restarts: 0,
  ...over,
});

describe('AppMetricStore', () => {
  it('keeps samples per replica and reads them back a step at a time, with rates between steps', async () => {
    t = await createTestDatabase();
    await t.store.create({ id: 'dmetrics1', project: 'shop', sourceType: 'archive', rootDir: '', port: 3000, env: {}, archive: { format: 'zip', data: Buffer.from('x') } });
    const store = new AppMetricStore(t.db);
    // Replica a: half a core busy; b: a restart between 4 s and 6 s (its counter went down).
    await store.insert([0, 2, 4, 6].map((s) => sample('aaaaaaaaaaaa', s, s * 0.5)));
    await store.insert([sample('bbbbbbbbbbbb', 0, 10), sample('bbbbbbbbbbbb', 2, 11), sample('bbbbbbbbbbbb', 4, 12), sample('bbbbbbbbbbbb', 6, 0.1, { restarts: 1 })]);
    // A second worker writing the same second is no error and no second row.
    await store.insert([sample('aaaaaaaaaaaa', 6, 3)]);

    const series = await store.series('dmetrics1', at(0), 2);
    expect(series.map((r) => r.container)).toEqual(['aaaaaaaaaaaa', 'bbbbbbbbbbbb']);
    const a = series[0]!.points;
    expect(a.map((p) => p.cpu)).toEqual([null, 0.5, 0.5, 0.5]);
    expect(a[1]).toMatchObject({ at: at(2).toISOString(), memoryBytes: 50e6, memoryLimitBytes: 512e6, netRxBytesPerSecond: 1000, netTxBytesPerSecond: 2000 });
    expect(series[1]!.points.map((p) => p.cpu)).toEqual([null, 0.5, 0.5, null]);
    expect(series[1]!.points.at(-1)!.restarts).toBe(1);

    // A 4-second step keeps the last sample of each step: counters lose nothing, the rate is over 4 s.
    const coarse = await store.series('dmetrics1', at(0), 4);
    expect(coarse[0]!.points.map((p) => [p.at, p.cpu])).toEqual([[at(2).toISOString(), null], [at(6).toISOString(), 0.5]]);

    // Now: the newest fresh sample of each container, added up per project (b's counter after its restart).
    await store.insert([sample('aaaaaaaaaaaa', 60 * 60 * 24 * 365, 9, { at: new Date() }), sample('bbbbbbbbbbbb', 1, 1, { at: new Date(), memoryBytes: 20e6 })]);
    expect(await store.usageByProject(60_000)).toEqual([{ project: 'shop', cpuSeconds: 10, memoryBytes: 70e6, netRxBytes: (60 * 60 * 24 * 365 + 1) * 1000, netTxBytes: (60 * 60 * 24 * 365 + 1) * 2000 }]);

    expect(await store.prune(at(3))).toBe(4);
    expect((await store.series('dmetrics1', at(0), 2))[0]!.points.map((p) => p.at)).toEqual([at(4).toISOString(), at(6).toISOString(), expect.any(String)]);
  });
});
