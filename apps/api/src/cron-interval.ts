import { scheduleTooFrequent } from '@berth/shared/backup-schedule';
import { BerthError } from '@berth/shared/errors';
import { checkSchedule } from './cron-schedule.ts';

/**
 * A backup schedule checked as any job's is (checkSchedule, in UTC), and then its fire times: ticks
 * closer than `minIntervalMs` (a backup's `* * * * * *`: a whole dump every second) are INVALID_SCHEDULE. Its next tick.
 */
export function checkMinInterval(schedule: string, minIntervalMs: number, now = Date.now()): Date {
  const next = checkSchedule(schedule, 'UTC', now);
  const refused = scheduleTooFrequent(schedule, minIntervalMs);
  if (refused) throw new BerthError('INVALID_SCHEDULE', refused);
  return next;
}
