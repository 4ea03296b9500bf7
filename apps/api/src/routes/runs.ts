import { z } from '@berth/shared/config';
import type { RunLogStore } from '@berth/shared/run-log-store';
import { runView, type RunStore } from '@berth/shared/run-store';
import type { ApiConfig } from '../config.ts';
import type { RunQueue } from '../run-queue.ts';
import { openStream, resumeFrom, type EventsResponseDeps } from '../sse/events-response.ts';
import { RunFeed } from '../sse/run-feed.ts';
import { bodyOf, zodBody } from '../zod-body.ts';
import type { ApiPlugin } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';
import { listSchema, logsPageSchema, logsQuery, projectParams, runParams, runViewSchema } from './run-schemas.ts';

export interface RunRoutesOptions extends Pick<EventsResponseDeps, 'relay' | 'streams'> {
  runs: Pick<RunStore, 'create' | 'finish' | 'currentRelease' | 'list' | 'load' | 'requestCancel' | 'get'>;
  runLogs: Pick<RunLogStore, 'read'>;
  queue: Pick<RunQueue, 'enqueueRun'>;
  config: Pick<ApiConfig, 'RUN_TIMEOUT_MS' | 'SSE_HEARTBEAT_MS' | 'SSE_MAX_BUFFER_BYTES'>;
}

/** One shell line, run with `sh -c` in the project's current release image. */
export const commandSchema = z
  .string()
  .trim()
  .min(1)
  .max(4000)
  .refine((v) => !/[\0]/.test(v), 'must not contain NUL');
const runBodySchema = z.object({ command: commandSchema.describe('run with /bin/sh -c in the current release image, e.g. "npm run migrate"') }).strict();
export const runBody = zodBody(runBodySchema);

const read = { action: 'project.read', project: 'param' } as const;
const logsRead = { action: 'project.logs.read', project: 'param' } as const;
const start = { action: 'project.runs.start', project: 'param' } as const;

/** One-off runs: a command once in the project's current release (its image, env, volumes, limits), its log, its exit code. */
export const runRoutes: ApiPlugin<RunRoutesOptions> = async (app, deps) => {
  const { runs, queue, config } = deps;

  app.post(
    '/api/projects/:name/runs',
    { config: start, schema: { params: projectParams, body: runBody, response: { 202: runViewSchema, ...errorResponses } } },
    async (request, reply) => {
      const { command } = bodyOf(runBodySchema, request);
      const release = await runs.currentRelease(request.params.name);
      const run = await runs.create({ project: release.project, command, deploymentId: release.id, timeoutMs: config.RUN_TIMEOUT_MS });
      try {
        await queue.enqueueRun(run.id);
      } catch (err) {
        await runs.finish(run.id, { status: 'failed', errorCode: 'QUEUE_UNAVAILABLE', errorMessage: 'the job queue did not take it' });
        throw err;
      }
      request.log.info({ project: run.project, runId: run.id }, 'one-off run queued');
      return reply.status(202).send(runView(run));
    },
  );

  app.get(
    '/api/projects/:name/runs',
    { config: read, schema: { params: projectParams, response: { 200: listSchema, ...errorResponses } } },
    async (request) => ({ items: (await runs.list(request.params.name)).map(runView) }),
  );

  app.get(
    '/api/projects/:name/runs/:run',
    { config: read, schema: { params: runParams, response: { 200: runViewSchema, ...errorResponses } } },
    async (request) => runView(await runs.load(request.params.name, request.params.run)),
  );

  app.post(
    '/api/projects/:name/runs/:run/cancel',
    { config: start, schema: { params: runParams, response: { 200: runViewSchema, ...errorResponses } } },
    async (request) => runView(await runs.requestCancel(request.params.name, request.params.run)),
  );
};

/** A run's output: stored pages, and live (SSE). */
export const runLogRoutes: ApiPlugin<RunRoutesOptions> = async (app, deps) => {
  const { runs, runLogs, config } = deps;
  app.get(
    '/api/projects/:name/runs/:run/logs',
    { config: logsRead, schema: { params: runParams, querystring: logsQuery, response: { 200: logsPageSchema, ...errorResponses } } },
    async (request) => {
      const run = await runs.load(request.params.name, request.params.run);
      const { since, limit } = request.query;
      const lines = await runLogs.read(run.id, { afterSeq: since, limit });
      return { runId: run.id, lines, nextSince: lines.at(-1)?.seq ?? since, hasMore: lines.length === limit };
    },
  );

  app.get(
    '/api/projects/:name/runs/:run/events',
    {
      config: { ...logsRead, queryToken: true },
      exposeHeadRoute: false,
      schema: { params: runParams, querystring: { type: 'object', properties: { token: {}, since: {} } }, response: errorResponses },
    },
    async (request, reply) => {
      const run = await runs.load(request.params.name, request.params.run);
      const sse = openStream({ ...deps, config }, request, reply);
      await new RunFeed({ runs, runLogs }, sse, run.id, { resumeFrom: resumeFrom(request), log: request.log }).start(deps.relay);
    },
  );
};
