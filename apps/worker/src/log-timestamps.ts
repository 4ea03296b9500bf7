/**
 * Timestamps of runtime output, to the microsecond: what Postgres keeps of
 * Docker's nanosecond stamps. A follower that resumes compares the stamps of
 * Docker's output with the newest stored one; at millisecond precision a
 * burst of lines shares one stamp and a resume lost or repeated some of them.
 */

const stampPattern = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/;

/** Docker's RFC 3339 stamp (UTC, up to nanoseconds) as ISO 8601 with microseconds; undefined when it is not one. */
export function microsecondStamp(stamp: string): string | undefined {
  const m = stampPattern.exec(stamp);
  if (!m || Number.isNaN(Date.parse(`${m[1]}Z`))) return undefined;
  return `${m[1]}.${(m[2] ?? '').padEnd(6, '0').slice(0, 6)}Z`;
}

/** Microseconds since the epoch of an ISO stamp (any precision; digits past the microsecond are dropped). */
export function stampMicros(iso: string): bigint {
  const m = stampPattern.exec(iso);
  if (!m) return BigInt(Date.parse(iso)) * 1000n;
  return BigInt(Date.parse(`${m[1]}Z`)) * 1000n + BigInt((m[2] ?? '').padEnd(6, '0').slice(0, 6));
}

/** The current time as an ISO stamp with microseconds. */
export function nowStamp(): string {
  return new Date().toISOString().replace('Z', '000Z');
}
