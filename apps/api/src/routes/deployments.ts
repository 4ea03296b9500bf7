import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { deploymentStatuses, isDeploymentStatus } from '@berth/shared/deployment-state';
import { BerthError } from '@berth/shared/errors';
import { newDeploymentId } from '@berth/shared/ids';
import { logStreams, stripAnsi, type LogStream } from '@berth/shared/log-line';
import type { AppDeps } from '../app.ts';
import { deploymentView } from '../deployment-view.ts';
import { parseFields, toDeploymentInput, type DeploymentFields } from '../deployment-input.ts';
import { streamEvents } from '../event-stream.ts';
import type { SseRegistry } from '../sse-stream.ts';
import { RateLimitedError, type RateLimiter } from '../rate-limiter.ts';
import { ConcurrencyLimit } from '../concurrency-limit.ts';

const read = { access: 'read' } as const;
const deploy = { access: 'deploy' } as const;
/** Event streams also take `?token=` (EventSource cannot send headers). */
const stream = { access: 'read', queryToken: true } as const;

const idParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^[a-z0-9]{1,64}$' } },
  required: ['id'],
} as const;

export function deploymentRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  streams: SseRegistry,
  limiter: RateLimiter,
): void {
  const { store, queue, config } = deps;
  const uploads = new ConcurrencyLimit(
    config.MAX_CONCURRENT_UPLOADS,
    () => new RateLimitedError(1, `${config.MAX_CONCURRENT_UPLOADS} archive uploads are already being received; try again shortly`),
  );

  const load = async (id: string) => {
    const row = await store.get(id);
    if (!row) throw new BerthError('NOT_FOUND', `deployment ${id} does not exist`);
    return row;
  };

  app.post('/api/deployments', { config: deploy }, async (request, reply) => {
    await limiter.take(request.token!.id);
    const { fields, archive } = request.isMultipart()
      ? await uploads.run(() => readMultipart(request))
      : { fields: parseFields(request.body), archive: undefined };
    const input = toDeploymentInput(fields, archive, { port: config.DEFAULT_APP_PORT });
    const id = newDeploymentId();
    const row = await store.create({
      id,
      project: input.project,
      sourceType: input.archive ? 'archive' : 'git',
      gitUrl: input.gitUrl,
      gitRef: input.ref,
      rootDir: input.rootDir,
      archive: input.archive,
      port: input.port,
      env: input.env,
    });
    try {
      await queue.enqueue(id);
    } catch (err) {
      // Never leave a queued row that no job will ever pick up.
      await deps.lifecycle
        .transition(id, ['queued'], 'failed', {
          errorCode: 'QUEUE_UNAVAILABLE',
          errorMessage: 'the job queue was unavailable when the deployment was created',
        })
        .catch((e: unknown) => request.log.error({ err: e, deploymentId: id }, 'could not fail the row'));
      throw err;
    }
    request.log.info({ deploymentId: id, project: input.project, source: row.source_type }, 'deployment queued');
    return reply
      .status(202)
      .header('location', `/api/deployments/${id}`)
      .send(deploymentView(row, config));
  });

  app.get(
    '/api/deployments',
    {
      config: read,
      schema: {
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
            cursor: { type: 'string', maxLength: 200 },
            status: { type: 'string', enum: [...deploymentStatuses] },
            project: { type: 'string', maxLength: 64 },
          },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const q = request.query as { limit: number; cursor?: string; status?: string; project?: string };
      const page = await store.list({
        limit: q.limit,
        cursor: q.cursor,
        status: q.status && isDeploymentStatus(q.status) ? q.status : undefined,
        project: q.project,
      });
      return { items: page.items.map((row) => deploymentView(row, config)), nextCursor: page.nextCursor };
    },
  );

  app.get('/api/deployments/:id', { config: read, schema: { params: idParams } }, async (request) => {
    const { id } = request.params as { id: string };
    return deploymentView(await load(id), config);
  });

  app.get(
    '/api/deployments/:id/logs',
    {
      config: read,
      schema: {
        params: idParams,
        querystring: {
          type: 'object',
          properties: {
            since: { type: 'integer', minimum: 0, default: 0 },
            limit: { type: 'integer', minimum: 1, maximum: 10000, default: 1000 },
            stream: { type: 'string', enum: [...logStreams] },
            format: { type: 'string', enum: ['json', 'text'], default: 'json' },
          },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const q = request.query as { since: number; limit: number; stream?: LogStream; format: 'json' | 'text' };
      await load(id);
      const page = await store.logs(id, { afterSeq: q.since, limit: q.limit, stream: q.stream });
      const lines = withinBytes(page, config.MAX_LOG_RESPONSE_BYTES);
      const nextSince = lines.at(-1)?.seq ?? q.since;
      if (q.format === 'text') {
        return reply
          .type('text/plain; charset=utf-8')
          .header('x-next-since', String(nextSince))
          .send(lines.map((l) => `${stripAnsi(l.line)}\n`).join(''));
      }
      return { deploymentId: id, lines, nextSince, hasMore: lines.length < page.length || page.length === q.limit };
    },
  );

  app.post('/api/deployments/:id/cancel', { config: deploy, schema: { params: idParams } }, async (request) => {
    const { id } = request.params as { id: string };
    return deploymentView(await deps.lifecycle.cancel(id), config);
  });

  app.delete('/api/deployments/:id', { config: deploy, schema: { params: idParams } }, async (request) => {
    const { id } = request.params as { id: string };
    return deploymentView(await deps.lifecycle.stop(id), config);
  });

  app.get('/api/deployments/:id/events', { config: stream, schema: { params: idParams } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    await load(id);
    await streamEvents(deps, request, reply, { deploymentId: id }, streams);
  });

  app.get('/api/events', { config: stream }, async (request, reply) => {
    const { deployment } = request.query as { deployment?: string };
    if (deployment !== undefined) {
      if (!/^[a-z0-9]{1,64}$/.test(deployment)) throw new BerthError('VALIDATION_FAILED', 'deployment is not an id');
      await load(deployment);
    }
    await streamEvents(deps, request, reply, { deploymentId: deployment, global: deployment === undefined }, streams);
  });
}

async function readMultipart(
  request: FastifyRequest,
): Promise<{ fields: DeploymentFields; archive: { data: Buffer; filename: string } | undefined }> {
  const raw: Record<string, unknown> = {};
  let archive: { data: Buffer; filename: string } | undefined;
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const file = part as MultipartFile;
      if (file.fieldname !== 'projectArchive' || archive) {
        file.file.resume();
        throw new BerthError('VALIDATION_FAILED', `unexpected file field "${file.fieldname}"; use projectArchive`);
      }
      archive = { data: await file.toBuffer(), filename: file.filename };
      continue;
    }
    const value = String(part.value);
    if (part.fieldname === 'env') {
      try {
        raw.env = JSON.parse(value);
      } catch {
        throw new BerthError('VALIDATION_FAILED', 'env must be a JSON object of strings');
      }
    } else {
      raw[part.fieldname] = value;
    }
  }
  return { fields: parseFields(raw), archive };
}

/** The longest prefix of `lines` whose text fits in `maxBytes` (at least one line, so paging always moves on). */
function withinBytes<L extends { line: string }>(lines: L[], maxBytes: number): L[] {
  let bytes = 0;
  for (let i = 0; i < lines.length; i++) {
    bytes += Buffer.byteLength(lines[i]!.line) + 64;
    if (bytes > maxBytes && i > 0) return lines.slice(0, i);
  }
  return lines;
}
