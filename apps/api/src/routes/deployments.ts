import { deploymentStatuses } from '@berth/shared/deployment-state';
import type { DeploymentLifecycle } from '@berth/shared/deployment-lifecycle';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import { BerthError } from '@berth/shared/errors';
import { resolveGitHost } from '@berth/shared/git-url';
import { newDeploymentId } from '@berth/shared/ids';
import type { ApiConfig } from '../config.ts';
import type { DeploymentQueue } from '../deployment-queue.ts';
import { deploymentView, deploymentViewSchema, type Urls } from '../deployment-view.ts';
import { parseFields, toDeploymentInput } from '../deployment-input.ts';
import { RateLimitedError, type RateLimiter } from '../rate-limiter.ts';
import { ConcurrencyLimit } from '../concurrency-limit.ts';
import type { ApiInstance, ApiPlugin } from './api-plugin.ts';
import { idParams, loadDeployment } from './deployment-params.ts';
import { readMultipart } from './deployment-upload.ts';
import { errorResponses } from './error-schema.ts';

export interface DeploymentRoutesOptions {
  store: Pick<DeploymentStore, 'get' | 'create' | 'list'>;
  queue: DeploymentQueue;
  /** Every status change (a failed enqueue, cancel, stop) goes through it. */
  lifecycle: DeploymentLifecycle;
  limiter: RateLimiter;
  config: Urls & Pick<ApiConfig, 'MAX_CONCURRENT_UPLOADS' | 'UPLOAD_SLOT_WAIT_MS' | 'DEFAULT_APP_PORT' | 'GIT_ALLOW_PRIVATE_HOSTS'>;
}

const read = { access: 'read' } as const;
const deploy = { access: 'deploy' } as const;
const viewResponse = { 200: deploymentViewSchema, ...errorResponses } as const;
const listQuery = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    cursor: { type: 'string', maxLength: 200 },
    status: { type: 'string', enum: deploymentStatuses },
    project: { type: 'string', maxLength: 64 },
  },
  additionalProperties: false,
} as const;
const listSchema = {
  type: 'object',
  properties: {
    items: { type: 'array', items: deploymentViewSchema },
    nextCursor: { type: ['string', 'null'], description: 'pass as `cursor` for the next page; null on the last' },
  },
  required: ['items', 'nextCursor'],
  additionalProperties: false,
} as const;

/** Creating, reading and stopping deployments. */
export const deploymentRoutes: ApiPlugin<DeploymentRoutesOptions> = async (app, opts) => {
  createRoute(app, opts);
  readRoutes(app, opts);
  stopRoutes(app, opts);
};

function createRoute(app: ApiInstance, { store, queue, lifecycle, limiter, config }: DeploymentRoutesOptions): void {
  const uploads = new ConcurrencyLimit(
    config.MAX_CONCURRENT_UPLOADS,
    config.UPLOAD_SLOT_WAIT_MS,
    () => new RateLimitedError(1, `${config.MAX_CONCURRENT_UPLOADS} archive uploads are already being received; try again shortly`),
  );

  // No body schema: the fields come as JSON or as multipart form fields next to the archive, and one
  // validator (deployment-input.ts) checks both ways alike, with the same messages.
  const schema = { response: { 202: deploymentViewSchema, ...errorResponses } } as const;
  app.post('/api/deployments', { config: deploy, schema }, async (request, reply) => {
    await limiter.take(request.token!.id);
    const { fields, archive } = request.isMultipart()
      ? await uploads.run(() => readMultipart(request))
      : { fields: parseFields(request.body), archive: undefined };
    const input = toDeploymentInput(fields, archive, { port: config.DEFAULT_APP_PORT });
    if (input.gitUrl) await refuseLocalGitHost(input.gitUrl, config.GIT_ALLOW_PRIVATE_HOSTS);
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
      await lifecycle
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
}

function readRoutes(app: ApiInstance, { store, config }: DeploymentRoutesOptions): void {
  app.get(
    '/api/deployments',
    { config: read, schema: { querystring: listQuery, response: { 200: listSchema, ...errorResponses } } },
    async (request) => {
      const q = request.query;
      const page = await store.list({ limit: q.limit, cursor: q.cursor, status: q.status, project: q.project });
      return { items: page.items.map((row) => deploymentView(row, config)), nextCursor: page.nextCursor };
    },
  );

  app.get('/api/deployments/:id', { config: read, schema: { params: idParams, response: viewResponse } }, async (request) => {
    const { id } = request.params;
    return deploymentView(await loadDeployment(store, id), config);
  });
}

function stopRoutes(app: ApiInstance, deps: DeploymentRoutesOptions): void {
  const { config } = deps;
  const schema = { params: idParams, response: viewResponse } as const;
  app.post('/api/deployments/:id/cancel', { config: deploy, schema }, async (request) => {
    const { id } = request.params;
    return deploymentView(await deps.lifecycle.cancel(id), config);
  });

  app.delete('/api/deployments/:id', { config: deploy, schema }, async (request) => {
    const { id } = request.params;
    return deploymentView(await deps.lifecycle.stop(id), config);
  });
}

/**
 * Refuses a git URL whose host is local or private up front (400); the worker
 * checks again, and pins the address, before it clones. A host that does not
 * resolve now is left to the worker (DNS may just be slow), which fails it.
 */
async function refuseLocalGitHost(gitUrl: string, allowPrivate: boolean): Promise<void> {
  try {
    await resolveGitHost(gitUrl, { allowPrivate });
  } catch (err) {
    if (err instanceof BerthError && err.code === 'INVALID_GIT_URL') throw err;
  }
}
