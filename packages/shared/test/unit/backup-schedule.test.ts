import { describe, expect, it } from 'vitest';
import { scheduleTooFrequent, shortestGapSeconds } from '../../src/backup-schedule.ts';

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

describe('why a backup schedule may not run', () => {
  it('names a schedule firing closer than the floor, or not parsing; null for one that may run', () => {
    expect(scheduleTooFrequent('* * * * * *', 15 * 60_000)).toMatch(/fires 1 s apart at times; at most once per 900 s/);
    expect(scheduleTooFrequent('0,59 0,23 * * *', 15 * 60_000)).toMatch(/fires 60 s apart/);
    expect(scheduleTooFrequent('*/15 * * * *', 15 * 60_000)).toBeNull();
    expect(scheduleTooFrequent('0 3 * * *', 3600_000)).toBeNull();
    expect(scheduleTooFrequent('0 * * * *', 3600_001)).toMatch(/at most once per 3601 s/);
    expect(scheduleTooFrequent('61 * * * *', 60_000)).toMatch(/not a valid cron expression/);
  });
});
