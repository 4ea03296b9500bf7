import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { cgroupPaths, readCgroupStats, readNetDev } from '../../src/app-metrics/cgroup-stats.ts';
import { sampleOf } from '../../src/app-metrics/container-stats.ts';

// A made-up /proc and /sys under a temporary root, laid out as the kernel lays them out.
const id = 'f1ed4b443e33e659c87288c35be3c8cc13593f438683e7427c5870a777e9a108';
const netDev = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:     500       5    0    0    0     0          0         0      500       5    0    0    0     0       0          0
  eth0:    1042      11    0    0    0     0          0         0     2048      20    0    0    0     0       0          0
  eth1:     100       1    0    0    0     0          0         0       10       1    0    0    0     0       0          0
`;
const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function fakeRoot(files: Record<string, string>): string {
  const root = `${mkdtempSync(path.join(os.tmpdir(), 'cgroup-'))}/`;
  roots.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(root + file), { recursive: true });
    writeFileSync(root + file, text);
  }
  return root;
}

const v1Files = {
  'proc/42/cgroup': `9:name=systemd:/docker/${id}\n4:memory:/docker/${id}\n3:cpu,cpuacct:/docker/${id}\n0::/docker/${id}\n`,
  'proc/42/net/dev': netDev,
  [`sys/fs/cgroup/memory/docker/${id}/memory.usage_in_bytes`]: '89231360\n',
  [`sys/fs/cgroup/memory/docker/${id}/memory.limit_in_bytes`]: '9223372036854771712\n',
  [`sys/fs/cgroup/memory/docker/${id}/memory.stat`]: 'cache 100\ninactive_file 59203584\ntotal_inactive_file 59203584\n',
  [`sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`]: '168242291\n',
};

it('reads cgroup v1 counters and the network namespace as Docker reports them', () => {
  const stats = readCgroupStats(id, 42, fakeRoot(v1Files));
  expect(stats).toEqual({
    cpu_stats: { cpu_usage: { total_usage: 168242291 } },
    memory_stats: { usage: 89231360, limit: os.totalmem(), stats: { total_inactive_file: 59203584 } }, // no limit: the machine's memory
    networks: { eth0: { rx_bytes: 1042, tx_bytes: 2048 }, eth1: { rx_bytes: 100, tx_bytes: 10 } },
  });
  // The sample is the one Docker's stats would have made.
  expect(sampleOf(stats!, { deploymentId: 'd', container: 'c', restarts: 0, at: new Date(0) })).toMatchObject({ cpuNs: 168242291, memoryBytes: 89231360 - 59203584, netRxBytes: 1142, netTxBytes: 2058 });
});

it('reads cgroup v2 counters, with and without a memory limit', () => {
  const scope = `sys/fs/cgroup/system.slice/docker-${id}.scope`;
  const files = {
    'proc/7/cgroup': `0::/system.slice/docker-${id}.scope\n`,
    'proc/7/net/dev': netDev,
    [`${scope}/memory.current`]: '5000000\n',
    [`${scope}/memory.max`]: '268435456\n',
    [`${scope}/memory.stat`]: 'anon 1\ninactive_file 1000000\n',
    [`${scope}/cpu.stat`]: 'usage_usec 1234\nuser_usec 1000\nsystem_usec 234\n',
  };
  expect(readCgroupStats(id, 7, fakeRoot(files))).toMatchObject({
    cpu_stats: { cpu_usage: { total_usage: 1_234_000 } },
    memory_stats: { usage: 5_000_000, limit: 268435456, stats: { inactive_file: 1_000_000 } },
  });
  expect(readCgroupStats(id, 7, fakeRoot({ ...files, [`${scope}/memory.max`]: 'max\n' }))?.memory_stats?.limit).toBe(os.totalmem());
});

it('reads nothing when the pid is no longer the container (a pid used again), or a file is missing or odd', () => {
  const root = fakeRoot(v1Files);
  expect(readCgroupStats('another-container-id', 42, root)).toBeUndefined();
  expect(readCgroupStats(id, 43, root)).toBeUndefined(); // no such process
  expect(readCgroupStats(id, 0, root)).toBeUndefined(); // Docker said no pid
  const { [`sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`]: _cpu, ...noCpu } = v1Files;
  expect(readCgroupStats(id, 42, fakeRoot(noCpu))).toBeUndefined();
  expect(readCgroupStats(id, 42, fakeRoot({ ...v1Files, [`sys/fs/cgroup/memory/docker/${id}/memory.usage_in_bytes`]: 'garbage' }))).toBeUndefined();
  const { 'proc/42/net/dev': _net, ...noNet } = v1Files;
  expect(readCgroupStats(id, 42, fakeRoot(noNet))).toBeUndefined();
});

it("finds each controller's path, and skips lines it does not know", () => {
  expect(cgroupPaths(`12:cpu,cpuacct:/a\n4:memory:/b\n1:name=systemd:/c\n0::/d\nnonsense\n`)).toEqual({ cpuacct: '/a', memory: '/b', unified: '/d' });
  expect(readNetDev('header\nheader\n  eth0: 1 2 3\n')).toEqual({}); // a short line is not read as counters
});
