import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { DockerStats } from './container-stats.ts';

/**
 * A container's stats read from the kernel's own files, as Docker's stats
 * endpoint reads them, when the worker runs on the container's host: the
 * cgroup's CPU and memory counters (cgroup v1 or v2) and the network
 * namespace's `/proc/<pid>/net/dev`. A sampling round at 50 apps was 50
 * requests to dockerd (one new connection each, and dockerd's own work);
 * this is a few small reads. Undefined when the files are not this
 * container's or not here (a worker in a container of its own, a remote
 * Docker host): the sampler then asks Docker.
 */
export function readCgroupStats(containerId: string, pid: number, root = '/'): DockerStats | undefined {
  if (!(pid > 0)) return undefined;
  const membership = readKernelFile(`${root}proc/${pid}/cgroup`);
  // The pid was the container's when it was inspected; a pid used again by another process is not read.
  if (!membership?.includes(containerId)) return undefined;
  const groups = cgroupPaths(membership);
  const counters = groups.memory !== undefined ? readV1(root, groups.memory, groups.cpuacct ?? groups.memory) : groups.unified !== undefined ? readV2(root, groups.unified) : undefined;
  const networks = readNetDev(readKernelFile(`${root}proc/${pid}/net/dev`));
  if (!counters || !networks) return undefined;
  return { ...counters, networks };
}

/** Each controller's path from `/proc/<pid>/cgroup` (`4:memory:/docker/<id>`; `0::/…` is the unified, v2, hierarchy). */
export function cgroupPaths(membership: string): { memory?: string; cpuacct?: string; unified?: string } {
  const paths: { memory?: string; cpuacct?: string; unified?: string } = {};
  for (const line of membership.split('\n')) {
    const [, controllers, path] = /^\d+:([^:]*):(.+)$/.exec(line.trim()) ?? [];
    if (path === undefined) continue;
    const names = controllers!.split(',');
    if (names.includes('memory')) paths.memory = path;
    if (names.includes('cpuacct')) paths.cpuacct = path;
    if (controllers === '') paths.unified = path;
  }
  return paths;
}

function readV1(root: string, memoryPath: string, cpuPath: string): Omit<DockerStats, 'networks'> | undefined {
  const memory = `${root}sys/fs/cgroup/memory${memoryPath}`;
  const usage = readNumber(`${memory}/memory.usage_in_bytes`);
  const limit = readNumber(`${memory}/memory.limit_in_bytes`);
  const cpuNs = readNumber(`${root}sys/fs/cgroup/cpuacct${cpuPath}/cpuacct.usage`);
  const stat = keyValues(readKernelFile(`${memory}/memory.stat`));
  if (usage === undefined || limit === undefined || cpuNs === undefined || !stat) return undefined;
  return statsOf(cpuNs, usage, limit, { total_inactive_file: stat.get('total_inactive_file') });
}

function readV2(root: string, path: string): Omit<DockerStats, 'networks'> | undefined {
  const dir = `${root}sys/fs/cgroup${path}`;
  const usage = readNumber(`${dir}/memory.current`);
  const max = readKernelFile(`${dir}/memory.max`)?.trim();
  const cpu = keyValues(readKernelFile(`${dir}/cpu.stat`));
  const stat = keyValues(readKernelFile(`${dir}/memory.stat`));
  const usageUsec = cpu?.get('usage_usec');
  if (usage === undefined || max === undefined || usageUsec === undefined || !stat) return undefined;
  return statsOf(usageUsec * 1000, usage, max === 'max' ? Infinity : Number(max), { inactive_file: stat.get('inactive_file') });
}

/** As Docker reports them: no limit (or one above the machine's memory) is the machine's memory. */
function statsOf(cpuNs: number, usage: number, limit: number, cache: Record<string, number | undefined>): Omit<DockerStats, 'networks'> {
  return {
    cpu_stats: { cpu_usage: { total_usage: cpuNs } },
    memory_stats: { usage, limit: Math.min(limit, os.totalmem()), stats: cache },
  };
}

/** `/proc/<pid>/net/dev`: bytes in and out of each interface but loopback (Docker's stats leave it out too). */
export function readNetDev(text: string | undefined): DockerStats['networks'] | undefined {
  if (text === undefined) return undefined;
  const networks: NonNullable<DockerStats['networks']> = {};
  for (const line of text.split('\n').slice(2)) {
    const [name, counters] = line.split(':');
    const fields = counters?.trim().split(/\s+/).map(Number);
    if (!name || !fields || fields.length < 16 || name.trim() === 'lo') continue;
    networks[name.trim()] = { rx_bytes: fields[0], tx_bytes: fields[8] };
  }
  return networks;
}

function keyValues(text: string | undefined): Map<string, number> | undefined {
  if (text === undefined) return undefined;
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^\d+$/.test(value)) values.set(key, Number(value));
  }
  return values;
}

function readNumber(path: string): number | undefined {
  const text = readKernelFile(path)?.trim();
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

/** Synchronous on purpose: kernel files are read from memory, and an asynchronous read is several wake-ups of the thread pool. */
function readKernelFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
