import type { ColumnType, Generated, Selectable } from 'kysely';

// The log drains' tables as Kysely sees them (db.ts; migration 0026).

export type DrainStatus = 'active' | 'paused';

export interface LogDrainsTable {
  id: string;
  project: string;
  url: string;
  /** HTTPS drains: the sealed signing secret; syslog drains have none. */
  secret_sealed: string | null;
  status: ColumnType<DrainStatus, DrainStatus | undefined, DrainStatus>;
  /** Failed attempts in a row (0 after a delivered batch). */
  failures: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  /** No attempt before this (the back-off after a failure). */
  retry_at: Date | null;
  lease_owner: string | null;
  lease_until: Date | null;
  delivered_at: Date | null;
  created_at: Generated<Date>;
}

export interface LogDrainCursorsTable {
  drain_id: string;
  deployment_id: string;
  /** The last seq of this deployment's lines the drain's receiver took. */
  last_seq: ColumnType<number, number, number>;
}

export type LogDrainRow = Selectable<LogDrainsTable>;
