import { describe, expect, it } from 'vitest';
import { checkSchedule } from '../../src/cron-schedule.ts';

const at = Date.parse('2026-12-06T16:30:00.000Z');
const code = (f: () => unknown) => {
  try {
    f();
    return 'accepted';
  } catch (err) {
    return (err as { code?: string }).code;
  }
};

describe('a job schedule', () => {
  it('takes 5 fields, or 6 with seconds first, and says when it next fires', () => {
    expect(checkSchedule('0 3 * * *', null, at).toISOString()).toBe('2026-12-07T03:00:00.000Z');
    expect(checkSchedule('*/2 * * * * *', null, at).toISOString()).toBe('2026-12-06T16:30:02.000Z');
    expect(checkSchedule('  15 14 1 * 1-5 ', null, at).getTime()).toBeGreaterThan(at);
  });

  it('reads the schedule in its timezone', () => {
    expect(checkSchedule('0 3 * * *', 'Europe/Berlin', at).toISOString()).toBe('2026-12-07T02:00:00.000Z');
  });

  it('refuses other field counts, names, out-of-range values and unknown timezones with INVALID_SCHEDULE', () => {
    for (const bad of ['* * *', '* * * *', '0 0 0 * * * *', '@daily', '61 * * * *', '* 25 * * *', 'every minute', '']) {
      expect(code(() => checkSchedule(bad, null, at)), bad).toBe('INVALID_SCHEDULE');
    }
    expect(code(() => checkSchedule('0 3 * * *', 'Mars/Olympus', at))).toBe('INVALID_SCHEDULE');
    // H: a value picked at random each time BullMQ reads the schedule again (each tick), so ticks could come a minute apart.
    for (const random of ['H * * * *', '0 H * * *', '0 0,H * * *', 'H/5 * * * * *']) expect(code(() => checkSchedule(random, null, at)), random).toBe('INVALID_SCHEDULE');
    expect(code(() => checkSchedule('0 3 * * THU', null, at))).toBe('accepted');
    expect(code(() => checkSchedule('0 3 * * *', 'UTC', at))).toBe('accepted');
  });
});
