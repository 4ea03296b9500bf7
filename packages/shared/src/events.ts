import type { DeploymentRow } from './db.ts';
import type { DeploymentStatus } from './deployment-state.ts';
import type { LogLine } from './log-line.ts';

/**
 * Messages on Redis pub/sub. One channel per installation (`eventsChannel`
 * in redis-keys.ts) carries every deployment's log batches and status
 * changes, so an API process needs one subscription however many viewers it
 * serves.
 */
export interface LogBatchEvent {
  type: 'log';
  deploymentId: string;
  lines: LogLine[];
}

export interface StatusEvent {
  type: 'status';
  deploymentId: string;
  status: DeploymentStatus;
  errorCode: string | null;
  errorMessage: string | null;
  at: string;
}

export type BerthEvent = LogBatchEvent | StatusEvent;

export function encodeEvent(event: BerthEvent): string {
  return JSON.stringify(event);
}

export function decodeEvent(raw: string): BerthEvent | undefined {
  try {
    const value = JSON.parse(raw) as BerthEvent;
    if (value && (value.type === 'log' || value.type === 'status') && typeof value.deploymentId === 'string') {
      return value;
    }
  } catch {
    // fall through: a malformed message is ignored, never fatal
  }
  return undefined;
}

/** The status event that describes a deployment row as it is now. */
export function statusEvent(row: DeploymentRow): StatusEvent {
  return {
    type: 'status',
    deploymentId: row.id,
    status: row.status,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    at: row.updated_at.toISOString(),
  };
}
