import type { FromSchema } from 'json-schema-to-ts';
import { z } from '@berth/shared/config';
import type { JobRow } from '@berth/shared/db';
import type { JobStore } from '@berth/shared/job-store';
import { runView, type RunStore } from '@berth/shared/run-store';
import type { ApiConfig } from '../config.ts';
import { checkSchedule } from '../cron-schedule.ts';
import type { RunQueue } from '../run-queue.ts';
import { bodyOf, zodBody } from '../zod-body.ts';
import type { ApiPlugin } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';
import { jobParams, listSchema, projectParams, runViewSchema } from './run-schemas.ts';
import { commandSchema } from './runs.ts';

export interface JobRoutesOptions {
  jobs: Pick<JobStore, 'add' | 'list' | 'load' | 'update' | 'remove'>;
  runs: Pick<RunStore, 'create' | 'finish' | 'currentRelease' | 'list'>;
  queue: Pick<RunQueue, 'enqueueRun' | 'upsertSchedule' | 'removeSchedule'>;
  config: Pick<ApiConfig, 'RUN_TIMEOUT_MS' | 'MAX_JOBS_PER_PROJECT'>;
}

const jobFields = {
  schedule: z.string().trim().min(1).max(200).describe('cron: 5 fields (minute hour day month weekday), or 6 with seconds first'),
  command: commandSchema.describe('run with /bin/sh -c in the current release image'),
  timeoutSeconds: z.number().int().min(1).max(7 * 24 * 3600).describe('killed and recorded failed (RUN_TIMED_OUT) past it; default RUN_TIMEOUT_MS'),
  timezone: z.string().min(1).max(64).nullable().describe('IANA name the schedule is read in (default UTC)'),
};
const jobAddSchema = z
  .object({ name: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/, 'must be 1-32 lowercase letters, digits or inner hyphens'), ...jobFields })
  .partial({ timeoutSeconds: true, timezone: true })
  .strict();
const jobPatchSchema = z.object(jobFields).partial().strict();
export const jobAddBody = zodBody(jobAddSchema);
export const jobPatchBody = zodBody(jobPatchSchema);

const jobViewSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    project: { type: 'string' },
    schedule: { type: 'string' },
    command: { type: 'string' },
    timeoutSeconds: { type: 'integer' },
    timezone: { type: ['string', 'null'] },
    nextRunAt: { type: 'string', description: 'the next tick' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
  required: ['name', 'project', 'schedule', 'command', 'timeoutSeconds', 'timezone', 'nextRunAt', 'createdAt', 'updatedAt'],
  additionalProperties: false,
} as const;
type JobView = FromSchema<typeof jobViewSchema>;
const jobListSchema = { type: 'object', properties: { items: { type: 'array', items: jobViewSchema } }, required: ['items'], additionalProperties: false } as const;

const read = { action: 'project.read', project: 'param' } as const;
/** A job runs a command with the project's env on a schedule, like a setting: the project's admins. */
const update = { action: 'project.settings.update', project: 'param' } as const;
const start = { action: 'project.runs.start', project: 'param' } as const;

/** Scheduled jobs: a command on a cron schedule in the project's current release; each run recorded like a one-off run. */
export const jobRoutes: ApiPlugin<JobRoutesOptions> = async (app, { jobs, queue, config }) => {
  const view = (row: JobRow): JobView => ({
    name: row.name,
    project: row.project,
    schedule: row.schedule,
    command: row.command,
    timeoutSeconds: row.timeout_seconds ?? Math.ceil(config.RUN_TIMEOUT_MS / 1000),
    timezone: row.timezone,
    nextRunAt: checkSchedule(row.schedule, row.timezone).toISOString(),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  });
  const schedule = (row: JobRow) => queue.upsertSchedule({ jobId: row.id, schedule: row.schedule, timezone: row.timezone });

  app.get('/api/projects/:name/jobs', { config: read, schema: { params: projectParams, response: { 200: jobListSchema, ...errorResponses } } }, async (request) => ({
    items: (await jobs.list(request.params.name)).map(view),
  }));

  app.post(
    '/api/projects/:name/jobs',
    { config: update, schema: { params: projectParams, body: jobAddBody, response: { 201: jobViewSchema, ...errorResponses } } },
    async (request, reply) => {
      const body = bodyOf(jobAddSchema, request);
      checkSchedule(body.schedule, body.timezone);
      const timeoutSeconds = body.timeoutSeconds ?? Math.ceil(config.RUN_TIMEOUT_MS / 1000);
      const row = await jobs.add(request.params.name, body.name, { schedule: body.schedule, command: body.command, timeoutSeconds, timezone: body.timezone ?? null }, config.MAX_JOBS_PER_PROJECT);
      await schedule(row).catch(async (err: unknown) => {
        await jobs.remove(row.project, row.name).catch(() => {});
        throw err;
      });
      request.log.info({ project: row.project, job: row.name, schedule: row.schedule }, 'job added');
      return reply.status(201).send(view(row));
    },
  );

  app.patch(
    '/api/projects/:name/jobs/:job',
    { config: update, schema: { params: jobParams, body: jobPatchBody, response: { 200: jobViewSchema, ...errorResponses } } },
    async (request) => {
      const body = bodyOf(jobPatchSchema, request);
      const current = await jobs.load(request.params.name, request.params.job);
      checkSchedule(body.schedule ?? current.schedule, body.timezone === undefined ? current.timezone : body.timezone);
      const row = await jobs.update(request.params.name, request.params.job, body);
      await schedule(row);
      return view(row);
    },
  );

  app.delete('/api/projects/:name/jobs/:job', { config: update, schema: { params: jobParams, response: { 200: jobViewSchema, ...errorResponses } } }, async (request) => {
    const row = await jobs.remove(request.params.name, request.params.job);
    // A scheduler left behind (Redis away now) is removed by the worker at its next tick: the job is gone.
    await queue.removeSchedule(row.id).catch((err: unknown) => request.log.warn({ err, job: row.id }, 'removing the job scheduler failed'));
    return view(row);
  });
};

/** A job's runs, and running it now (recorded skipped while its previous run goes). */
export const jobRunRoutes: ApiPlugin<JobRoutesOptions> = async (app, { jobs, runs, queue }) => {
  app.get('/api/projects/:name/jobs/:job/runs', { config: read, schema: { params: jobParams, response: { 200: listSchema, ...errorResponses } } }, async (request) => {
    const job = await jobs.load(request.params.name, request.params.job);
    return { items: (await runs.list(job.project, { jobId: job.id })).map(runView) };
  });

  app.post(
    '/api/projects/:name/jobs/:job/runs',
    { config: start, schema: { params: jobParams, response: { 202: runViewSchema, ...errorResponses } } },
    async (request, reply) => {
      const job = await jobs.load(request.params.name, request.params.job);
      const release = await runs.currentRelease(job.project);
      const run = await runs.create({ project: job.project, command: job.command, deploymentId: release.id, timeoutMs: (job.timeout_seconds ?? 3600) * 1000, jobId: job.id });
      if (run.status === 'queued') {
        await queue.enqueueRun(run.id).catch(async (err: unknown) => {
          await runs.finish(run.id, { status: 'failed', errorCode: 'QUEUE_UNAVAILABLE', errorMessage: 'the job queue did not take it' });
          throw err;
        });
      }
      return reply.status(202).send(runView(run));
    },
  );
};
