/**
 * The latency histogram request metrics keep (issue 30 item 2): fixed bucket
 * bounds, so tallies from any interval, router or rollup add up bucket by
 * bucket. Bounds grow by √2 from 1 ms to about 65 s; a percentile is read as
 * the upper bound of the bucket it falls in, so it is never below the true
 * value and at most √2 (41 %) above it.
 */
export const latencyBoundsSeconds: readonly number[] = Array.from({ length: 33 }, (_, k) => Number((0.001 * 2 ** (k / 2)).toFixed(6)));

/** One count per bound, and one more for requests slower than the last bound. */
export const latencyBucketCount = latencyBoundsSeconds.length + 1;

export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx';
export const statusClasses: readonly StatusClass[] = ['2xx', '3xx', '4xx', '5xx'];

/** Requests to one deployment over one interval. */
export interface RequestTally {
  /** Every request, 1xx and odd codes included. */
  requests: number;
  status: Record<StatusClass, number>;
  /** latencyBucketCount counts: requests that took at most latencyBoundsSeconds[i] (the last: longer). */
  latency: number[];
}

export function emptyTally(): RequestTally {
  return { requests: 0, status: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 }, latency: new Array<number>(latencyBucketCount).fill(0) };
}

/** The bucket a duration falls in (the first bound at or above it). */
export function latencyBucket(seconds: number): number {
  const i = latencyBoundsSeconds.findIndex((bound) => seconds <= bound);
  return i === -1 ? latencyBoundsSeconds.length : i;
}

export function statusClassOf(status: number): StatusClass | undefined {
  const cls = `${Math.floor(status / 100)}xx`;
  return (statusClasses as readonly string[]).includes(cls) ? (cls as StatusClass) : undefined;
}

/** Counts one request into a tally. */
export function countRequest(tally: RequestTally, status: number, seconds: number): void {
  tally.requests++;
  const cls = statusClassOf(status);
  if (cls) tally.status[cls]++;
  tally.latency[latencyBucket(seconds)]!++;
}

/** `into` plus `more`, bucket by bucket (in place; returns `into`). */
export function addTally(into: RequestTally, more: RequestTally): RequestTally {
  into.requests += more.requests;
  for (const cls of statusClasses) into.status[cls] += more.status[cls];
  more.latency.forEach((n, i) => (into.latency[i] = (into.latency[i] ?? 0) + n));
  return into;
}

/**
 * The q-quantile (0 < q <= 1) of a histogram, in seconds: the upper bound of
 * the bucket holding the request at rank ⌈q·n⌉; null with no requests, and
 * Infinity when it falls past the last bound.
 */
export function quantileOf(latency: readonly number[], q: number): number | null {
  const total = latency.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < latency.length; i++) {
    seen += latency[i]!;
    if (seen >= rank) return latencyBoundsSeconds[i] ?? Infinity;
  }
  return Infinity;
}
