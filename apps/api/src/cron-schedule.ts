import { getNextMillis } from 'bullmq';
import { BerthError } from '@berth/shared/errors';

/**
 * Checks a job's schedule as BullMQ's job scheduler will read it (the same parser): 5 cron fields,
 * or 6 with seconds first; no `@daily`-style names (one form to read in a listing). The timezone
 * must be an IANA name. INVALID_SCHEDULE says which part is wrong. Returns the next tick.
 */
export function checkSchedule(schedule: string, timezone: string | null | undefined, now = Date.now()): Date {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    throw new BerthError('INVALID_SCHEDULE', `schedule "${schedule}" has ${fields.length} fields; expected 5 (minute hour day month weekday) or 6 (seconds first)`);
  }
  // `H` is a value the parser picks at random each time it reads the schedule, and BullMQ reads it again for each tick.
  if (/(^|[\s,])h/i.test(schedule)) throw new BerthError('INVALID_SCHEDULE', `schedule "${schedule}" uses H (a random value, picked anew for each tick); give the value`);
  if (timezone) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: timezone });
    } catch {
      throw new BerthError('INVALID_SCHEDULE', `timezone "${timezone}" is not an IANA time zone name (e.g. Europe/Berlin)`);
    }
  }
  let next: number | undefined;
  try {
    next = getNextMillis(now, { pattern: schedule, ...(timezone ? { tz: timezone } : {}) });
  } catch (err) {
    throw new BerthError('INVALID_SCHEDULE', `schedule "${schedule}" is not a valid cron expression: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (next === undefined || !Number.isFinite(next)) throw new BerthError('INVALID_SCHEDULE', `schedule "${schedule}" never fires`);
  return new Date(next);
}
