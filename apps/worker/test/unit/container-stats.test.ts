import { describe, expect, it } from 'vitest';
import { sampleOf } from '../../src/app-metrics/container-stats.ts';

const where = { deploymentId: 'd1', container: 'abcdefabcdef', restarts: 2, at: new Date(0) };

describe('a sample from Docker\'s stats', () => {
  it('counts memory as docker stats does (less the droppable page cache, cgroup v2 and v1) and sums every network', () => {
    const v2 = sampleOf(
      {
        cpu_stats: { cpu_usage: { total_usage: 5e9 } },
        memory_stats: { usage: 100e6, limit: 512e6, stats: { inactive_file: 30e6 } },
        networks: { eth0: { rx_bytes: 100, tx_bytes: 10 }, eth1: { rx_bytes: 50, tx_bytes: 5 } },
      },
      where,
    );
    expect(v2).toEqual({ ...where, cpuNs: 5e9, memoryBytes: 70e6, memoryLimitBytes: 512e6, netRxBytes: 150, netTxBytes: 15 });
    expect(sampleOf({ memory_stats: { usage: 100e6, limit: 1e9, stats: { total_inactive_file: 40e6 } } }, where).memoryBytes).toBe(60e6);
  });

  it('gives zeros, never NaN or a negative, for a container that has just stopped (Docker answers empty stats)', () => {
    expect(sampleOf({}, where)).toEqual({ ...where, cpuNs: 0, memoryBytes: 0, memoryLimitBytes: 0, netRxBytes: 0, netTxBytes: 0 });
    expect(sampleOf({ memory_stats: { usage: 10, stats: { inactive_file: 20 } } }, where).memoryBytes).toBe(0);
  });
});
