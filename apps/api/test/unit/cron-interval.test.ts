import { describe, expect, it } from 'vitest';
import { BerthError } from '@berth/shared/errors';
import { checkMinInterval } from '../../src/cron-interval.ts';

describe("a backup schedule's minimum interval", () => {
  const at = Date.parse('2026-12-06T16:30:00.000Z');
  /** accepted, or the BerthError's code (anything else thrown is named as such: a 500 in the API). */
  const outcome = (schedule: string, minIntervalMs: number) => {
    try {
      checkMinInterval(schedule, minIntervalMs, at);
      return 'accepted';
    } catch (err) {
      return err instanceof BerthError ? err.code : `not a BerthError: ${String(err)}`;
    }
  };

  it('refuses schedules whose fire times come closer than the minimum, whatever their text', () => {
    for (const often of ['* * * * * *', '*/30 * * * * *', '* * * * *', '*/5 * * * *', '0,1 * * * *', '0-59/14 * * * *', '0,59 0,23 * * *', '0 * * * * *']) {
      expect(outcome(often, 15 * 60_000), often).toBe('INVALID_SCHEDULE');
    }
    for (const fine of ['*/15 * * * *', '0 * * * *', '0 3 * * *', '0,59 0,23 * * 1', '0 0 0 * * *']) expect(outcome(fine, 15 * 60_000), fine).toBe('accepted');
    expect(checkMinInterval('*/2 * * * * *', 2000, at).toISOString()).toBe('2026-12-06T16:30:02.000Z');
  });

  it('answers INVALID_SCHEDULE, never another error, to malformed schedules', () => {
    const pieces = ['*', '0', '59', '60', '-1', '*/0', '1-0', 'L', '5L', '1#5', '1#6', '?', 'W', 'H', 'MON', 'FOO', '31', '2', ',', '/', '9999999999', '\u0000', '(', ''];
    let seed = 7;
    const pick = () => pieces[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % pieces.length]!;
    for (let i = 0; i < 400; i++) {
      const schedule = Array.from({ length: 5 + (i % 2) }, () => pick() + (i % 3 === 0 ? pick() : '')).join(' ');
      expect(['accepted', 'INVALID_SCHEDULE'], schedule).toContain(outcome(schedule, 60_000));
    }
  });
});
