import { z } from '@berth/shared/config';
import type { BackupStore } from '@berth/shared/backup-store';
import type { BackupQueue } from '../backup-queue.ts';
import { checkMinInterval } from '../cron-interval.ts';
import { bodyOf, zodBody } from '../zod-body.ts';
import type { ApiPlugin } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';

export interface BackupScheduleOptions {
  backups: Pick<BackupStore, 'setSchedule'>;
  queue: Pick<BackupQueue, 'schedule'>;
  /** BACKUP_MIN_INTERVAL_MS: the least time between two of a schedule's fire times. */
  minIntervalMs: number;
}

const update = { action: 'project.settings.update', project: 'param' } as const;
const scheduleSchema = z
  .object({ schedule: z.string().trim().min(1).max(200).nullable().describe('cron in UTC: 5 fields (minute hour day month weekday), or 6 with seconds first; null: on demand only') })
  .strict();
const name = { type: 'string', minLength: 1, maxLength: 100 } as const;
const params = { type: 'object', properties: { name, service: name }, required: ['name', 'service'] } as const;
const answer = {
  type: 'object',
  properties: { service: { type: 'string' }, schedule: { type: ['string', 'null'] }, nextBackupAt: { type: ['string', 'null'] } },
  required: ['service', 'schedule', 'nextBackupAt'],
  additionalProperties: false,
} as const;

/** A service's backup schedule: a backup each tick (skipped while one is under way), kept as BACKUPS_KEPT says. */
export const backupScheduleRoutes: ApiPlugin<BackupScheduleOptions> = async (app, { backups, queue, minIntervalMs }) => {
  app.put(
    '/api/projects/:name/services/:service/backup-schedule',
    { config: update, schema: { params, body: zodBody(scheduleSchema), response: { 200: answer, ...errorResponses } } },
    async (request) => {
      const { schedule } = bodyOf(scheduleSchema, request);
      const next = schedule ? checkMinInterval(schedule, minIntervalMs) : null;
      const serviceId = await backups.setSchedule(request.params.name, request.params.service, schedule);
      await queue.schedule(serviceId, schedule);
      request.log.info({ project: request.params.name, service: request.params.service, schedule }, 'service backup schedule set');
      return { service: request.params.service, schedule, nextBackupAt: next?.toISOString() ?? null };
    },
  );
};

