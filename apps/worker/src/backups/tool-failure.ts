import { BerthError } from '@berth/shared/errors';
import type { ExecResult } from './exec-stream.ts';

/**
 * What a backup tool's stderr says went wrong, as one of Berth's own phrases: the first row whose
 * pattern matches. Never words of the output itself: pg_restore and pg_dump quote rows' values
 * (`Key (email)=(…)`, a raised exception's text, `invalid input syntax …: "…"`), and a value can
 * look like any of these patterns, so matching one only picks a fixed phrase.
 */
const summaries: [RegExp, string][] = [
  [/password authentication failed|WRONGPASS|NOAUTH|AUTH failed|authentication failed/i, 'the service refused its credentials'],
  [/could not connect|connection refused|Could not connect to Redis|no pg_hba\.conf entry/i, 'the service did not take a connection'],
  [/No space left on device|could not extend file|disk quota exceeded/i, 'the service ran out of disk space'],
  [/out of memory|Cannot allocate memory|OOM command not allowed/i, 'the service ran out of memory'],
  [/server closed the connection|terminating connection|connection to server was lost|Connection reset|Server closed the connection/i, 'the connection to the service was cut off'],
  [/lock timeout|could not obtain lock|deadlock detected/i, 'a lock it needed was held by another session'],
  [/statement timeout/i, 'a statement ran past the service\'s statement timeout'],
  [/server version mismatch|unsupported version|aborting because of server version/i, 'the tool and the server (or the dump) are of versions that do not fit'],
  [/did not find magic string|input file (appears|does not appear)|not a valid archive|could not read input file/i, 'the dump is not in the form the tool reads'],
  [/duplicate key value|violates (unique|foreign key|check|not-null|exclusion) constraint/i, 'a constraint refused a row of the dump'],
  [/invalid input syntax|invalid byte sequence|out of range for type|value too long for type/i, 'a value of the dump does not fit its column'],
  [/permission denied|must be (owner|superuser|a member)/i, 'the tool lacks a permission on an object'],
  [/already exists/i, 'an object the dump makes already exists'],
  [/does not exist/i, 'an object the dump refers to does not exist'],
  [/\bERROR:/, 'the server refused one of its statements'],
];

/** Berth's phrase for a tool's stderr (see `summaries`); null when none fits. */
export function toolSummary(stderr: string): string | null {
  for (const [pattern, phrase] of summaries) if (pattern.test(stderr)) return phrase;
  return null;
}

/** A tool that exited non-zero: the message says which, how, and Berth's summary; its stderr, which may quote the service's rows, is the detail apart. */
export class ToolFailure extends BerthError {
  constructor(
    message: string,
    readonly detail: string | null,
  ) {
    super('BACKUP_FAILED', message);
  }
}

export function failedTool(what: string, result: ExecResult): ToolFailure {
  const detail = result.stderr ? result.stderr.slice(-1000) : null;
  const summary = detail ? toolSummary(result.stderr) : null;
  const said = detail ? ' (its output is in errorDetail, for the project\'s admins)' : '';
  return new ToolFailure(`${what} exited with ${result.exitCode ?? 'no code'}${summary ? `: ${summary}` : ''}${said}`, detail);
}

/** The backup store's (BACKUP_DIR's) errors an operator fixes, by errno code. */
const storeErrors: Record<string, string> = {
  ENOSPC: 'the backup store (BACKUP_DIR) is full',
  EDQUOT: "the backup store (BACKUP_DIR) is over its disk quota",
  EACCES: 'the worker may not write to the backup store (BACKUP_DIR)',
  EPERM: 'the worker may not write to the backup store (BACKUP_DIR)',
  EROFS: 'the backup store (BACKUP_DIR) is read-only',
  ENOTDIR: 'the backup store (BACKUP_DIR) is not a folder the worker can write in',
};

/** How a failed backup or restore is recorded (every reader of the project sees code and message; admins the detail too). */
export interface RecordedFailure {
  errorCode: string;
  errorMessage: string;
  errorDetail: string | null;
}

/**
 * A failure as it is recorded: Berth's own errors keep their sentence; anything else (a file
 * system's error naming the server's paths, a database error) gets a fixed one, its own words
 * only in the worker's log.
 */
export function recordedFailure(err: unknown): RecordedFailure {
  if (!(err instanceof BerthError)) {
    const why = storeErrors[(err as NodeJS.ErrnoException | undefined)?.code ?? ''] ?? "it failed on the worker's side (not in the service)";
    return { errorCode: 'BACKUP_FAILED', errorMessage: `${why}; the worker's log says more`, errorDetail: null };
  }
  return { errorCode: err.code, errorMessage: err.message.slice(0, 1000), errorDetail: err instanceof ToolFailure ? err.detail : null };
}
