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
