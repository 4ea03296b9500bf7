import { afterAll, describe, expect, it } from 'vitest';
import { countRequest, emptyTally, type RequestTally } from '../../../src/app-metrics/request-histogram.ts';
import { RequestMetricStore } from '../../../src/app-metrics/request-metric-store.ts';
import { createTestDatabase, type TestDatabase } from '@berth/testing/database';

let t: TestDatabase | undefined;
afterAll(async () => {
  await t?.drop();
});

const at = (s: number) => new Date(Date.UTC(2026, 11, 6, 12, 0, s));
function tally(requests: [status: number, seconds: number, times: number][]): RequestTally {
  const out = emptyTally();
  for (const [status, seconds, times] of requests) for (let i = 0; i < times; i++) countRequest(out, status, seconds);
  return out;
}
const deployment = (id: string, project: string) =>
  t!.store.create({ id, project, sourceType: 'archive', rootDir: '', port: 3000, env: {}, archive: { format: 'zip', data: Buffer.from('x') } });

describe('RequestMetricStore', () => {
  it("adds a project's deployments and routers up per step, with percentiles from the summed histogram", async () => {
    t = await createTestDatabase();
    await Promise.all([deployment('dreqa', 'shop'), deployment('dreqb', 'shop'), deployment('dreqc', 'other')]);
    const store = new RequestMetricStore(t.db);
    await store.insert([
      { deploymentId: 'dreqa', at: at(5), tally: tally([[200, 0.004, 40], [404, 0.002, 5]]) },
      { deploymentId: 'dreqb', at: at(5), tally: tally([[200, 0.3, 5]]) },
      // A second router writing the same deployment and moment: its counts add.
      { deploymentId: 'dreqa', at: at(5), tally: tally([[503, 0.004, 2]]) },
      { deploymentId: 'dreqa', at: at(15), tally: tally([[301, 0.01, 10]]) },
      { deploymentId: 'dreqc', at: at(5), tally: tally([[500, 9, 100]]) },
    ]);

    const points = await store.series('shop', at(0), 10);
    expect(points).toHaveLength(2);
    expect(points[0]).toMatchObject({ at: at(0).toISOString(), requests: 52, requestsPerSecond: 5.2, status: { '2xx': 45, '3xx': 0, '4xx': 5, '5xx': 2 } });
    expect(points[0]!.p50).toBe(0.004);
    expect(points[0]!.p95).toBeGreaterThanOrEqual(0.3);
    expect(points[0]!.p99).toBeLessThan(0.5);
    expect(points[1]).toMatchObject({ at: at(10).toISOString(), requests: 10, status: { '3xx': 10 } });

    // One step over the whole range adds both.
    const whole = await store.series('shop', at(0), 60);
    expect(whole.map((p) => p.requests)).toEqual([62]);
    // Since is a bound; another project's requests never show.
    expect((await store.series('shop', at(10), 10)).map((p) => p.requests)).toEqual([10]);
    expect((await store.series('nosuch', at(0), 10))).toEqual([]);
    // Per deployment: its own rows only (both routers' added), never its project's others'.
    expect((await store.deploymentSeries('dreqa', at(0), 10)).map((p) => [p.requests, p.status['5xx']])).toEqual([[47, 2], [10, 0]]);
    expect((await store.deploymentSeries('dreqb', at(0), 60)).map((p) => p.p50)).toEqual([points[0]!.p95]);
    expect((await store.deploymentSeries('nosuch', at(0), 10))).toEqual([]);

    expect(await store.prune(at(10))).toBe(4);
    expect((await store.series('shop', at(0), 60)).map((p) => p.requests)).toEqual([10]);
  });
});
