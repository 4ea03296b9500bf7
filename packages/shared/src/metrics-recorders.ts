import type { DeploymentRow } from './db.ts';
import type { LogLine } from './log-line.ts';
import type { LogStore } from './log-store.ts';
import type { WorkerMetrics } from './metrics.ts';
import type { StatusPublisher } from './status-publisher.ts';

/** Deployments remembered between two status changes at most (older ones are forgotten first). */
const MAX_TRACKED = 1000;

/**
 * Reads the worker's timings off the status changes it publishes: queue wait
 * (created → fetching), build duration (building → its next status, labelled
 * with it) and deploy-to-live (created → running, for deployments this
 * process started). Publishing itself is unchanged.
 */
export class MeteredStatusPublisher implements StatusPublisher {
  private readonly building = new Map<string, number>();
  private readonly starting = new Set<string>();

  constructor(
    private readonly inner: StatusPublisher,
    private readonly metrics: WorkerMetrics,
    private readonly now: () => number = Date.now,
  ) {}

  async publish(row: DeploymentRow): Promise<void> {
    await this.inner.publish(row);
    this.observe(row);
  }

  private observe(row: DeploymentRow): void {
    const now = this.now();
    const sinceCreated = (now - row.created_at.getTime()) / 1000;
    const buildStart = this.building.get(row.id);
    if (buildStart !== undefined && row.status !== 'building') {
      this.building.delete(row.id);
      this.metrics.buildDuration.observe({ result: row.status === 'starting' ? 'succeeded' : row.status }, (now - buildStart) / 1000);
    }
    switch (row.status) {
      case 'fetching':
        this.metrics.queueWait.observe(sinceCreated);
        return;
      case 'building':
        remember(this.building, row.id, now);
        return;
      case 'starting':
        remember(this.starting, row.id);
        return;
      case 'running':
        if (this.starting.delete(row.id)) this.metrics.deployToLive.observe(sinceCreated);
        return;
      case 'queued':
      case 'stopped':
      case 'crashed':
      case 'failed':
      case 'canceled':
        this.starting.delete(row.id);
        return;
      default: {
        const unknown: never = row.status;
        throw new Error(`unknown status ${String(unknown)}`);
      }
    }
  }
}

function remember(into: Map<string, number> | Set<string>, id: string, value = 0): void {
  if (into.size >= MAX_TRACKED) into.delete(into.keys().next().value!);
  if (into instanceof Map) into.set(id, value);
  else into.add(id);
}

/** Counts the log lines stored (after the write succeeded). */
export function meterLogAppends(logs: LogStore, metrics: WorkerMetrics): LogStore {
  const append = logs.append.bind(logs);
  logs.append = async (deploymentId: string, lines: readonly LogLine[], follower?: string) => {
    const stored = await append(deploymentId, lines, follower);
    if (stored) metrics.logLines.inc(lines.length);
    return stored;
  };
  return logs;
}
