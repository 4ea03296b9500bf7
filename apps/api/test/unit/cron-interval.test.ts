import { describe, expect, it } from 'vitest';
import { BerthError } from '@berth/shared/errors';
import { checkMinInterval, shortestGapSeconds } from '../../src/cron-interval.ts';

describe('the shortest gap between two fire times of a schedule', () => {
  it('reads the fire times, not the text', () => {
    expect(shortestGapSeconds('* * * * * *')).toBe(1);
    expect(shortestGapSeconds('*/2 * * * * *')).toBe(2);
    expect(shortestGapSeconds('* * * * *')).toBe(60);
    expect(shortestGapSeconds('*/15 * * * *')).toBe(900);
    expect(shortestGapSeconds('0,1 * * * *')).toBe(60); // twice an hour, a minute apart
    expect(shortestGapSeconds('0 3 * * *')).toBe(86_400);
    expect(shortestGapSeconds('0 3 * * 1')).toBe(7 * 86_400);
  });

  it('finds the gap across midnight, month and year ends and leap days', () => {
    expect(shortestGapSeconds('0,59 0,23 * * *')).toBe(60); // 23:59, then 00:00 the next day
    expect(shortestGapSeconds('0,59 0,23 * * 1')).toBe(59 * 60); // only Mondays: no next day
    expect(shortestGapSeconds('0,59 0,23 1,31 1,12 *')).toBe(60); // Dec 31 23:59, Jan 1 00:00
    expect(shortestGapSeconds('0,59 0,23 28,29 2 *')).toBe(60); // a leap year's Feb 28 and 29
    expect(shortestGapSeconds('0,59 0,23 L * *')).toBe(59 * 60);
    expect(shortestGapSeconds('0 0 1 1 *')).toBe(365 * 86_400);
  });

  it('with a minimum, answers at least it without reading the fire days when the day leaves room', () => {
    expect(shortestGapSeconds('0 3 * * 1', 900)).toBe(86_400);
    expect(shortestGapSeconds('0,30 3 * * 1-5', 900)).toBe(1800);
    expect(shortestGapSeconds('0,59 0,23 * * *', 900)).toBe(60);
    expect(shortestGapSeconds('*/5 * * * * *', 900)).toBe(5);
  });
});

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
