import { describe, expect, it } from 'vitest';
import { BerthError } from '@berth/shared/errors';
import { failedTool, recordedFailure, toolSummary } from '../../src/backups/tool-failure.ts';

// A failed backup's or restore's message is read by everyone who reads the project (viewers,
// deploy keys, read tokens): it may say which tool failed and how in Berth's words, never the
// tool's output, which quotes rows (pg_restore's `Key (…)=(…)`, a raised exception's text).
const secret = 'alice@secret.example';
const outputs: [string, string | null][] = [
  [`pg_restore: error: could not execute query: ERROR:  duplicate key value violates unique constraint "users_email_key"\nDETAIL:  Key (email)=(${secret}) already exists.\nCommand was: COPY public.users (id, email) FROM stdin;`, 'a constraint refused a row of the dump'],
  [`pg_restore: error: could not execute query: ERROR:  refused: ${secret}\nCONTEXT:  PL/pgSQL function boom() line 1 at RAISE`, 'the server refused one of its statements'],
  [`pg_restore: error: COPY failed for table "users": ERROR:  invalid input syntax for type integer: "${secret}"`, 'a value of the dump does not fit its column'],
  ['pg_dump: error: connection to server at "127.0.0.1", port 5432 failed: FATAL:  password authentication failed for user "berth"', 'the service refused its credentials'],
  ['Could not connect to Redis at 127.0.0.1:6379: Connection refused', 'the service did not take a connection'],
  ['pg_dump: error: query failed: ERROR:  canceling statement due to lock timeout', 'a lock it needed was held by another session'],
  [`pg_restore: error: could not execute query: ERROR:  relation "${secret}" already exists`, 'an object the dump makes already exists'],
  [`something the tool says about ${secret}`, null],
];

describe("a backup tool's failure as readers of the project see it", () => {
  it("sums the output up in Berth's fixed words, never the output's, whatever a value in it looks like", () => {
    for (const [stderr, phrase] of outputs) expect(toolSummary(stderr), stderr).toBe(phrase);
    // A value crafted to look like another failure picks a fixed phrase; its own words never come through.
    const crafted = `pg_restore: error: ERROR:  refused: password authentication failed for user "${secret}"`;
    expect(toolSummary(crafted)).toBe('the service refused its credentials');
  });

  it('keeps the output out of the message (in the detail, for admins), with the exit code and the summary in it', () => {
    for (const [stderr, phrase] of outputs) {
      const failure = recordedFailure(failedTool('pg_restore', { exitCode: 1, stderr }));
      expect(failure.errorCode).toBe('BACKUP_FAILED');
      expect(failure.errorMessage).not.toContain(secret);
      expect(failure.errorMessage).toContain('pg_restore exited with 1');
      if (phrase) expect(failure.errorMessage).toContain(`: ${phrase}`);
      expect(failure.errorDetail).toBe(stderr);
    }
    expect(recordedFailure(failedTool('pg_dump', { exitCode: null, stderr: '' }))).toEqual({ errorCode: 'BACKUP_FAILED', errorMessage: 'pg_dump exited with no code', errorDetail: null });
  });

  it("records an error not Berth's (its words may name the server's paths) as a fixed sentence; Berth's own as they are", () => {
    const full = Object.assign(new Error("ENOSPC: no space left on device, write '/srv/berth/backups/shop/bkpabc.bkp.partial'"), { code: 'ENOSPC' });
    expect(recordedFailure(full)).toEqual({ errorCode: 'BACKUP_FAILED', errorMessage: "the backup store (BACKUP_DIR) is full; the worker's log says more", errorDetail: null });
    const odd = recordedFailure(new TypeError(`Cannot read properties of undefined (reading '${secret}')`));
    expect(odd.errorMessage).toBe("it failed on the worker's side (not in the service); the worker's log says more");
    expect(recordedFailure('a thrown string')).toMatchObject({ errorCode: 'BACKUP_FAILED', errorDetail: null });
    expect(recordedFailure(new BerthError('BACKUP_TIMED_OUT', 'it took too long'))).toEqual({ errorCode: 'BACKUP_TIMED_OUT', errorMessage: 'it took too long', errorDetail: null });
  });
});
