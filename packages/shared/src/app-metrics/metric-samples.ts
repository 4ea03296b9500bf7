import { sql } from 'kysely';
import type { Db } from '../db.ts';
import { rawKeptMs } from './rollup.ts';

/** What Docker said about one container at one moment (counters cumulative, as Docker reports them). */
export interface AppSample {
  deploymentId: string;
  container: string;
  at: Date;
  cpuNs: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  netRxBytes: number;
  netTxBytes: number;
  restarts: number;
}

/** One point of a replica's series: rates over the time since the point before (null for the first, or across a restart). */
export interface MetricPoint {
  at: string;
  /** CPU cores in use on average (1.0: one core busy). */
  cpu: number | null;
  memoryBytes: number;
  memoryLimitBytes: number;
  netRxBytesPerSecond: number | null;
  netTxBytesPerSecond: number | null;
  restarts: number;
}

/** A project's running containers, added up (`/metrics`' berth_app_* families). */
export interface ProjectUsage {
  project: string;
  cpuSeconds: number;
  memoryBytes: number;
  netRxBytes: number;
  netTxBytes: number;
}

export interface ReplicaSeries {
  container: string;
  points: MetricPoint[];
}

interface SampleRow {
  container: string;
  at: Date;
  cpu_ns: string;
  memory_bytes: string;
  memory_limit_bytes: string;
  net_rx_bytes: string;
  net_tx_bytes: string;
  restarts: number;
}

/** The samples the workers write and the series the API reads (table app_metric_samples, migration 0013). */
export class AppMetricStore {
  constructor(private readonly db: Db) {}

  async insert(samples: readonly AppSample[]): Promise<void> {
    if (samples.length === 0) return;
    await this.db
      .insertInto('app_metric_samples')
      .values(samples.map(sampleRow))
      // Two workers on one host sampling the same second: one row is enough.
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  /**
   * Each replica's series since `since`, one point per `stepSeconds` (the
   * last sample of each step: counters are cumulative, so nothing between is
   * lost), with rates between consecutive points.
   */
  async series(deploymentId: string, since: Date, stepSeconds: number): Promise<ReplicaSeries[]> {
    const step = `${stepSeconds} seconds`;
    // One parameter for the step: DISTINCT ON must repeat ORDER BY's first expressions exactly.
    const { rows } = await sql<SampleRow>`
      select distinct on (container, bucket)
        container, at, cpu_ns, memory_bytes, memory_limit_bytes, net_rx_bytes, net_tx_bytes, restarts
      from (
        select *, date_bin(${step}::interval, at, timestamptz 'epoch') as bucket
        from ${sampleSource(since)} as source
        where deployment_id = ${deploymentId} and at >= ${since}
      ) samples
      order by container, bucket, at desc`.execute(this.db);
    rows.sort((a, b) => (a.container === b.container ? a.at.getTime() - b.at.getTime() : a.container < b.container ? -1 : 1));
    const byContainer = new Map<string, SampleRow[]>();
    for (const row of rows) byContainer.set(row.container, [...(byContainer.get(row.container) ?? []), row]);
    return [...byContainer].map(([container, samples]) => ({ container, points: pointsOf(samples) }));
  }

  /**
   * What each project's running containers use now: the newest sample of
   * every container sampled within `freshMs`, added up per project (CPU and
   * network as the containers' cumulative counters, for Prometheus' rate()).
   */
  async usageByProject(freshMs: number): Promise<ProjectUsage[]> {
    const { rows } = await sql<{ project: string; cpu_ns: string; memory_bytes: string; net_rx_bytes: string; net_tx_bytes: string }>`
      select d.project, sum(s.cpu_ns) as cpu_ns, sum(s.memory_bytes) as memory_bytes, sum(s.net_rx_bytes) as net_rx_bytes, sum(s.net_tx_bytes) as net_tx_bytes
      from (
        select distinct on (deployment_id, container) *
        from app_metric_samples
        where at > ${new Date(Date.now() - freshMs)}
        order by deployment_id, container, at desc
      ) s
      join deployments d on d.id = s.deployment_id
      group by d.project
      order by d.project`.execute(this.db);
    return rows.map((r) => ({
      project: r.project,
      cpuSeconds: Number(r.cpu_ns) / 1e9,
      memoryBytes: Number(r.memory_bytes),
      netRxBytes: Number(r.net_rx_bytes),
      netTxBytes: Number(r.net_tx_bytes),
    }));
  }

  /** Deletes samples older than `before`; how many went. */
  async prune(before: Date): Promise<number> {
    const result = await this.db.deleteFrom('app_metric_samples').where('at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

/** A sample as a row of app_metric_samples (or app_metric_rollups: the same columns). */
export function sampleRow(s: AppSample) {
  return {
    deployment_id: s.deploymentId,
    container: s.container,
    at: s.at,
    cpu_ns: s.cpuNs,
    memory_bytes: s.memoryBytes,
    memory_limit_bytes: s.memoryLimitBytes,
    net_rx_bytes: s.netRxBytes,
    net_tx_bytes: s.netTxBytes,
    restarts: s.restarts,
  };
}

/** The raw samples, and the 5-minute rollups too when the range reaches past a day (rollup.ts). */
function sampleSource(since: Date) {
  if (since.getTime() >= Date.now() - rawKeptMs) return sql`app_metric_samples`;
  return sql`(select * from app_metric_rollups union all select * from app_metric_samples)`;
}

/** Rates between consecutive samples of one container (oldest first); a counter that went down (a restart) gives no rate. */
function pointsOf(samples: readonly SampleRow[]): MetricPoint[] {
  return samples.map((s, i) => {
    const prev = samples[i - 1];
    const seconds = prev ? (s.at.getTime() - prev.at.getTime()) / 1000 : 0;
    const rate = (now: string, before: string | undefined, scale = 1) => {
      if (!prev || before === undefined || seconds <= 0 || Number(now) < Number(before)) return null;
      return (Number(now) - Number(before)) / scale / seconds;
    };
    return {
      at: s.at.toISOString(),
      cpu: rate(s.cpu_ns, prev?.cpu_ns, 1e9),
      memoryBytes: Number(s.memory_bytes),
      memoryLimitBytes: Number(s.memory_limit_bytes),
      netRxBytesPerSecond: rate(s.net_rx_bytes, prev?.net_rx_bytes),
      netTxBytesPerSecond: rate(s.net_tx_bytes, prev?.net_tx_bytes),
      restarts: s.restarts,
    };
  });
}
