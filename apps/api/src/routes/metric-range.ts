import { BerthError } from '@berth/shared/errors';

/** The query both metric routes take: from when, and seconds between points. */
export const metricRangeQuery = {
  type: 'object',
  properties: {
    since: { type: 'string', format: 'date-time', description: 'from when (default: 15 minutes ago)' },
    step: { type: 'integer', minimum: 1, maximum: 86400, description: 'seconds between points (default: about 300 points over the range, at least 10 s)' },
  },
  additionalProperties: false,
} as const;

/** Points per series an answer may hold. */
const maxPoints = 2000;

/** A metric route's range: `since` (default 15 minutes ago) and `step` (default about 300 points, at least 10 s); 400 when the asked one is in the future or too many points. */
export function metricRange(query: { since?: string; step?: number }, now = Date.now()): { since: Date; step: number } {
  const since = query.since ? new Date(query.since) : new Date(now - 15 * 60_000);
  if (since.getTime() > now) throw new BerthError('VALIDATION_FAILED', 'since is in the future');
  const rangeSeconds = Math.max(1, (now - since.getTime()) / 1000);
  const step = query.step ?? Math.max(10, Math.ceil(rangeSeconds / 300));
  if (rangeSeconds / step > maxPoints) {
    throw new BerthError('VALIDATION_FAILED', `${Math.ceil(rangeSeconds / step)} points per series asked (at most ${maxPoints}): a larger step or a later since`);
  }
  return { since, step };
}
