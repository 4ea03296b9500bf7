import { CronExpressionParser, type CronExpression } from 'cron-parser';
import { env } from './config.ts';

/** The floor of a service's backup schedule: the API refuses a schedule below it, a worker drops one found below it. */
export const backupScheduleEnv = {
  BACKUP_MIN_INTERVAL_MS: env
    .milliseconds(15 * 60_000)
    .describe(
      "The least time between two fire times of a service's backup schedule (checked over the schedule's fire times, not its text): the API answers 400 INVALID_SCHEDULE below it; a worker clears a schedule found below it (one set before, or under a lower setting) instead of taking its backup",
    ),
};

const daySeconds = 86_400;
// The fire days are read over five calendar years that hold a leap day and several year ends: a
// pattern's closest pair of fire days (Feb 28/29, Dec 31/Jan 1, a weekday beside a date) shows there.
const spanStart = Date.UTC(2027, 0, 1);
const spanEnd = Date.UTC(2032, 0, 1);

/**
 * Why a backup schedule may not run (`minIntervalMs`, BACKUP_MIN_INTERVAL_MS): it fires closer than
 * that at times, or it does not parse; null when it may. The words of INVALID_SCHEDULE's message.
 */
export function scheduleTooFrequent(schedule: string, minIntervalMs: number): string | null {
  const minSeconds = Math.ceil(minIntervalMs / 1000);
  let gap: number;
  try {
    gap = shortestGapSeconds(schedule, minSeconds);
  } catch (err) {
    return `schedule "${schedule}" is not a valid cron expression: ${err instanceof Error ? err.message : String(err)}`;
  }
  return gap < minSeconds ? `schedule "${schedule}" fires ${gap} s apart at times; at most once per ${minSeconds} s is allowed (BACKUP_MIN_INTERVAL_MS)` : null;
}

/**
 * The shortest time, in seconds, between two consecutive fire times of a cron schedule (5 fields,
 * or 6 with seconds first; UTC), Infinity when it fires at most once in the span. Not from the
 * text (`*` every second, `0,1 * * * *` twice an hour a minute apart, `59 23 * * *` with
 * `0 0 * * *`): every fire day shares one set of times of day, so the shortest gap is the closest
 * two times of a day, or the last time of a day to the first of the next fire day.
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
