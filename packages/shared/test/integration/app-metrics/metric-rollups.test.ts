import { afterAll, describe, expect, it, vi } from 'vitest';
import { MetricRollups } from '../../../src/app-metrics/metric-rollups.ts';
import { AppMetricStore, type AppSample } from '../../../src/app-metrics/metric-samples.ts';
import { countRequest, emptyTally } from '../../../src/app-metrics/request-histogram.ts';
import { RequestMetricStore } from '../../../src/app-metrics/request-metric-store.ts';
import { createTestDatabase, type TestDatabase } from '@berth/testing/database';

let t: TestDatabase | undefined;
afterAll(async () => {
  vi.useRealTimers();
  await t?.drop();
});

const now = new Date(Date.UTC(2026, 11, 8, 12, 0, 0));
const ago = (hours: number, seconds = 0) => new Date(now.getTime() - hours * 3600_000 + seconds * 1000);
const sample = (when: Date, cpuSeconds: number): AppSample => ({
  deploymentId: 'droll1',
  container: 'aaaaaaaaaaaa',
  at: when,
  cpuNs: cpuSeconds * 1e9,
  memoryBytes: 10,
  memoryLimitBytes: 20,
  netRxBytes: 0,
  netTxBytes: 0,
  restarts: 0,
});
const requests = (n: number, seconds: number) => {
  const tally = emptyTally();
  for (let i = 0; i < n; i++) countRequest(tally, 200, seconds);
  return tally;
};

describe('MetricRollups', () => {
  it('moves rows past a day into 5-minute rows, read back by ranges past a day, and deletes what is past the retention', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now });
    t = await createTestDatabase();
    await t.store.create({ id: 'droll1', project: 'roll', sourceType: 'archive', rootDir: '', port: 3000, env: {}, archive: { format: 'zip', data: Buffer.from('x') } });
    const samples = new AppMetricStore(t.db);
    const reqs = new RequestMetricStore(t.db);
    // 30 h ago: a sample every 10 s for 10 minutes (half a core); 2 h ago: one; 9 days ago: one (past a 7-day retention).
    await samples.insert(Array.from({ length: 60 }, (_, i) => sample(ago(30, i * 10), i * 5)));
    await samples.insert([sample(ago(2), 1000), sample(ago(9 * 24), 0)]);
    await reqs.insert([
      { deploymentId: 'droll1', at: ago(30, 10), tally: requests(10, 0.01) },
      { deploymentId: 'droll1', at: ago(30, 20), tally: requests(5, 0.3) },
      { deploymentId: 'droll1', at: ago(2), tally: requests(1, 0.01) },
    ]);

    const rollups = new MetricRollups(t.db);
    const pass = await rollups.run(now, 7);
    expect(pass).toEqual({ samplesRolled: 60, requestRowsRolled: 2, pruned: 1 });
    // Nothing left to do: a second pass moves nothing.
    expect(await rollups.run(now, 7)).toEqual({ samplesRolled: 0, requestRowsRolled: 0, pruned: 0 });
    const count = async (table: 'app_metric_samples' | 'app_metric_rollups' | 'app_request_metrics' | 'app_request_rollups') =>
      Number((await t!.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect([await count('app_metric_samples'), await count('app_metric_rollups')]).toEqual([1, 2]);
    expect([await count('app_request_metrics'), await count('app_request_rollups')]).toEqual([1, 1]);

    // A range past a day reads both tables: 5-minute points, the CPU rate over them exact (half a core).
    const series = await samples.series('droll1', ago(31), 300);
    const cpu = series[0]!.points.map((p) => p.cpu);
    expect(cpu[0]).toBeNull();
    expect(cpu[1]).toBeCloseTo(0.5, 5);
    expect(series[0]!.points).toHaveLength(3);
    // A range within the day reads the raw table only.
    expect((await samples.series('droll1', ago(3), 300))[0]!.points).toHaveLength(1);

    const traffic = await reqs.series('roll', ago(31), 3600);
    expect(traffic.map((p) => p.requests)).toEqual([15, 1]);
    expect(traffic[0]!.p95).toBeGreaterThanOrEqual(0.3);

    // Past the retention the rollups go too (and the raw rows, before they would be rolled up).
    expect(await rollups.run(new Date(now.getTime() + 7 * 24 * 3600_000), 7)).toEqual({ samplesRolled: 0, requestRowsRolled: 0, pruned: 5 });
  });

  it('lets one worker at a time do a pass (the other skips it)', async () => {
    const rollups = new MetricRollups(t!.db);
    await t!.db.transaction().execute(async (trx) => {
      await trx.selectNoFrom((eb) => eb.fn('pg_advisory_xact_lock', [eb.val(0x6265_726d)]).as('l')).execute();
      expect(await rollups.run(now, 7)).toBeUndefined();
    });
    expect(await rollups.run(now, 7)).toBeDefined();
  });
});
