import type { AppSample } from '@berth/shared/app-metrics/metric-samples';

/** The fields of Docker's `GET /containers/:id/stats?stream=false&one-shot=true` that a sample keeps. */
export interface DockerStats {
  read?: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number } };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number | undefined> };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
}

/**
 * One sample from Docker's stats. Memory is what `docker stats` shows: usage
 * less the page cache the kernel can drop (`inactive_file` on cgroup v2,
 * `total_inactive_file` on v1), so a file-reading app does not look full.
 */
export function sampleOf(stats: DockerStats, where: { deploymentId: string; container: string; restarts: number; at: Date }): AppSample {
  const memory = stats.memory_stats ?? {};
  const cache = memory.stats?.inactive_file ?? memory.stats?.total_inactive_file ?? 0;
  const networks = Object.values(stats.networks ?? {});
  return {
    ...where,
    cpuNs: stats.cpu_stats?.cpu_usage?.total_usage ?? 0,
    memoryBytes: Math.max(0, (memory.usage ?? 0) - cache),
    memoryLimitBytes: memory.limit ?? 0,
    netRxBytes: networks.reduce((sum, n) => sum + (n.rx_bytes ?? 0), 0),
    netTxBytes: networks.reduce((sum, n) => sum + (n.tx_bytes ?? 0), 0),
  };
}
