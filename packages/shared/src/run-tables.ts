import type { ColumnType, Generated } from 'kysely';
import type { LogStream } from './log-line.ts';

// The tables of one-off runs and scheduled jobs (migrations/versions/0014-runs-jobs.ts); db.ts lists them in Database.

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type RunKind = 'one-off' | 'job';
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled' | 'skipped';

/** A scheduled command of a project (migrations/versions/0014-runs-jobs.ts). */
export interface JobsTable {
  id: string;
  project: string;
  name: string;
  schedule: string;
  command: string;
  timeout_seconds: number | null;
  timezone: string | null;
  created_at: Generated<Date>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** One run of a command in a project's current release image: one-off, or a job's tick. */
export interface RunsTable {
  id: string;
  project: string;
  kind: RunKind;
  job_id: string | null;
  command: string;
  status: RunStatus;
  exit_code: number | null;
  error_code: string | null;
  error_message: string | null;
  /** The release whose image (and env) it ran with. */
  deployment_id: string | null;
  timeout_ms: number;
  cancel_requested: ColumnType<boolean, boolean | undefined, boolean>;
  /** The worker that ran (or runs) it. */
  worker: string | null;
  created_at: Generated<Date>;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface RunLogsTable {
  run_id: string;
  seq: number;
  ts: Timestamp;
  stream: LogStream;
  line: string;
}
