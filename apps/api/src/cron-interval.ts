import { CronExpressionParser, type CronExpression } from 'cron-parser';
import { BerthError } from '@berth/shared/errors';
import { checkSchedule } from './cron-schedule.ts';

const daySeconds = 86_400;
// The fire days are read over five calendar years that hold a leap day and several year ends: a
// pattern's closest pair of fire days (Feb 28/29, Dec 31/Jan 1, a weekday beside a date) shows there.
const spanStart = Date.UTC(2027, 0, 1);
const spanEnd = Date.UTC(2032, 0, 1);

/**
 * A schedule checked as any job's is (checkSchedule), and then its fire times: ticks closer than
 * `minIntervalMs` (a backup's `* * * * * *`: a whole dump every second) are INVALID_SCHEDULE. Its next tick.
 */
export function checkMinInterval(schedule: string, minIntervalMs: number, now = Date.now()): Date {
  const next = checkSchedule(schedule, null, now);
  const minSeconds = Math.ceil(minIntervalMs / 1000);
  let gap: number;
  try {
    gap = shortestGapSeconds(schedule, minSeconds);
  } catch (err) {
    throw new BerthError('INVALID_SCHEDULE', `schedule "${schedule}" is not a valid cron expression: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (gap < minSeconds) {
    throw new BerthError('INVALID_SCHEDULE', `schedule "${schedule}" fires ${gap} s apart at times; at most once per ${minSeconds} s is allowed (BACKUP_MIN_INTERVAL_MS)`);
  }
  return next;
}

/**
 * The shortest time, in seconds, between two consecutive fire times of a cron schedule (5 fields,
 * or 6 with seconds first; UTC; one checkSchedule accepted), Infinity when it fires at most once
 * in the span. Not from the text (`*` every second, `0,1 * * * *` twice an hour a minute apart,
 * `59 23 * * *` with `0 0 * * *`): every fire day shares one set of times of day, so the shortest
 * gap is the closest two times of a day, or the last time of a day to the first of the next fire day.
 * With `enough`, a gap of at least that much may be answered with any value as large (the fire
 * days, slow to read for weekday patterns, are read only when the day's ends come that close).
 */
export function shortestGapSeconds(schedule: string, enough = Infinity): number {
  const fields = schedule.trim().split(/\s+/);
  const six = fields.length === 6 ? fields : ['0', ...fields];
  const times = timesOfDay(CronExpressionParser.parse(six.join(' '), { tz: 'UTC' }));
  let shortest = Infinity;
  for (let i = 1; i < times.length; i++) shortest = Math.min(shortest, times[i]! - times[i - 1]!);
  const spread = times[times.length - 1]! - times[0]!;
  const acrossMidnight = daySeconds - spread; // at the least: the next fire day may be the next day
  if (acrossMidnight >= Math.min(shortest, enough)) return Math.min(shortest, acrossMidnight);
  const dayGap = closestFireDays(`0 0 0 ${six.slice(3).join(' ')}`);
  return Math.min(shortest, dayGap * daySeconds - spread);
}

/** The schedule's times of day, in seconds since midnight, ascending. */
function timesOfDay(expression: CronExpression): number[] {
  const { hour, minute, second } = expression.fields;
  const times: number[] = [];
  for (const h of hour.values) for (const m of minute.values) for (const s of second.values) times.push(Number(h) * 3600 + Number(m) * 60 + Number(s));
  return times.sort((a, b) => a - b);
}

/** Days between the two closest fire days of a daily pattern in the span (Infinity: one at most). */
function closestFireDays(dayPattern: string): number {
  const days = CronExpressionParser.parse(dayPattern, { tz: 'UTC', currentDate: spanStart - 1000, endDate: spanEnd });
  let closest = Infinity;
  let previous: number | undefined;
  while (days.hasNext() && closest > 1) {
    const at = days.next().getTime();
    if (previous !== undefined) closest = Math.min(closest, Math.round((at - previous) / (daySeconds * 1000)));
    previous = at;
  }
  return closest;
}
