import type { ColumnType } from 'kysely';

/** Bigint columns come back from pg as strings; written as numbers. */
type Counter = ColumnType<string, number, number>;

/** One sample of one running container (migration 0013). */
export interface AppMetricSamplesTable {
  deployment_id: string;
  container: string;
  at: Date;
  /** Cumulative CPU time, nanoseconds. */
  cpu_ns: Counter;
  memory_bytes: Counter;
  memory_limit_bytes: Counter;
  /** Cumulative over every interface. */
  net_rx_bytes: Counter;
  net_tx_bytes: Counter;
  restarts: number;
}

/** Requests to one deployment over one interval, from Caddy's access log (migration 0021). */
export interface AppRequestMetricsTable {
  deployment_id: string;
  /** The end of the interval the counts cover. */
  at: Date;
  requests: number;
  status_2xx: number;
  status_3xx: number;
  status_4xx: number;
  status_5xx: number;
  /** Counts per latency bucket (request-histogram.ts' bounds). */
  latency_counts: number[];
}

/** A sample kept past a day: the last of its 5 minutes (migration 0021). */
export type AppMetricRollupsTable = AppMetricSamplesTable;
/** Requests past a day: 5 minutes added up, `at` the start of the 5 minutes (migration 0021). */
export type AppRequestRollupsTable = AppRequestMetricsTable;
