import { describe, expect, it } from 'vitest';
import type { AppSample } from '../../../src/app-metrics/metric-samples.ts';
import { countRequest, emptyTally } from '../../../src/app-metrics/request-histogram.ts';
import { rawKeptMs, rollupCutoff, rollupRequests, rollupSamples, rollupStepMs, stepStart } from '../../../src/app-metrics/rollup.ts';

const t0 = Date.UTC(2026, 11, 6, 12, 0, 0);
const at = (minutes: number, seconds = 0) => new Date(t0 + minutes * 60_000 + seconds * 1000);
const sample = (container: string, when: Date, cpuNs: number): AppSample => ({
  deploymentId: 'd1',
  container,
  at: when,
  cpuNs,
  memoryBytes: 1,
  memoryLimitBytes: 2,
  netRxBytes: 3,
  netTxBytes: 4,
  restarts: 0,
});

describe('downsampling arithmetic', () => {
  it('cuts a day back, down to a whole 5 minutes, so no step is split between the tables', () => {
    const cutoff = rollupCutoff(at(24 * 60 + 7, 30));
    expect(cutoff).toEqual(at(5));
    expect(cutoff.getTime() % rollupStepMs).toBe(0);
    expect(rollupCutoff(at(24 * 60 + 5))).toEqual(new Date(at(24 * 60 + 5).getTime() - rawKeptMs));
    expect(stepStart(at(9, 59))).toEqual(at(5));
  });

  it("keeps each container's last sample of each 5 minutes (cumulative counters: the rate over 5 minutes is exact)", () => {
    const kept = rollupSamples([
      sample('a', at(0, 10), 1),
      sample('a', at(4, 50), 5),
      sample('a', at(0, 20), 2),
      sample('a', at(5, 0), 6),
      sample('b', at(1), 100),
    ]);
    expect(kept.map((s) => [s.container, s.at.toISOString(), s.cpuNs]).sort()).toEqual(
      [
        ['a', at(4, 50).toISOString(), 5],
        ['a', at(5).toISOString(), 6],
        ['b', at(1).toISOString(), 100],
      ].sort(),
    );
  });

  it("adds each deployment's request rows of each 5 minutes, histogram bucket by bucket, at the step's start", () => {
    const tally = (status: number, seconds: number) => {
      const t = emptyTally();
      countRequest(t, status, seconds);
      return t;
    };
    const sums = rollupRequests([
      { deploymentId: 'd1', at: at(0, 10), tally: tally(200, 0.01) },
      { deploymentId: 'd1', at: at(4, 59), tally: tally(500, 2) },
      { deploymentId: 'd1', at: at(5, 1), tally: tally(404, 0.01) },
      { deploymentId: 'd2', at: at(1), tally: tally(200, 0.01) },
    ]);
    const first = sums.find((s) => s.deploymentId === 'd1' && s.at.getTime() === at(0).getTime())!;
    expect(first.tally).toMatchObject({ requests: 2, status: { '2xx': 1, '5xx': 1 } });
    expect(first.tally.latency.reduce((a, b) => a + b, 0)).toBe(2);
    expect(sums.map((s) => [s.deploymentId, s.at.getTime(), s.tally.requests]).sort()).toEqual(
      [
        ['d1', at(0).getTime(), 2],
        ['d1', at(5).getTime(), 1],
        ['d2', at(0).getTime(), 1],
      ].sort(),
    );
  });
});
