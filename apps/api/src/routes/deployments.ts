import { deploymentStatuses } from '@berth/shared/deployment-state';
import type { DeploymentLifecycle } from '@berth/shared/deployment-lifecycle';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import { BerthError } from '@berth/shared/errors';
import { newDeploymentId } from '@berth/shared/ids';
import type { ApiConfig } from '../config.ts';
import type { DeploymentQueue } from '../deployment-queue.ts';
import { deploymentView, deploymentViewSchema, type Urls } from '../deployment-view.ts';
import { assertProjectName, parseFields, toDeploymentInput, type DeploymentInput } from '../deployment-input.ts';
import type { ProjectRow } from '@berth/shared/db';
import type { NewProject, ProjectStore } from '@berth/shared/project-store';
import { eachAloneOnFailure, GroupCommit } from '../group-commit.ts';
import type { Releases } from '../releases.ts';
import { RateLimitedError, type RateLimiter } from '../rate-limiter.ts';
import { ConcurrencyLimit } from '../concurrency-limit.ts';
import type { ApiInstance, ApiPlugin } from './api-plugin.ts';
import { idParams } from './deployment-params.ts';
import { readMultipart } from './deployment-upload.ts';
import { errorResponses } from './error-schema.ts';
import { refuseLocalGitHost } from './git-host.ts';

export interface DeploymentRoutesOptions {
  store: Pick<DeploymentStore, 'getWithPlace' | 'list'>;
  projects: ProjectStore;
  releases: Releases;
  uploads: ConcurrencyLimit;
  /** Every status change (a failed enqueue, cancel, stop) goes through it. */
  lifecycle: DeploymentLifecycle;
  limiter: RateLimiter;
  config: Urls & Pick<ApiConfig, 'DEFAULT_APP_PORT' | 'GIT_ALLOW_PRIVATE_HOSTS'>;
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
  releaseRoutes(app, opts);
};

function createRoute(app: ApiInstance, { projects, releases, uploads, limiter, config }: DeploymentRoutesOptions): void {
  // Projects read (or made on first use) by requests arriving together go in one statement.
  const projectReads = new GroupCommit<NewProject, ProjectRow>(eachAloneOnFailure((inputs) => projects.getOrCreateMany(inputs)));
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
    // The project is made on first use (a name that may not be one is refused then).
    const project = await projectFor(projects, projectReads, input, config.BASE_DOMAIN);
    const { env, buildEnv } = releases.projectEnv(project);
    const row = await releases.create({
      project,
      source: input.archive ? { type: 'archive', archive: input.archive } : { type: 'git', gitUrl: input.gitUrl!, ref: input.ref ?? null },
      rootDir: input.rootDir,
      port: input.port,
      healthPath: input.healthPath ?? project.health_path,
      env: { ...env, ...input.env },
      buildEnv,
      promote: input.promote,
    });
    const id = row.id;
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
    // One query: the row, whether the project URL serves it, and its place in the queue.
    const { id } = request.params;
    const found = await store.getWithPlace(id);
    if (!found) throw new BerthError('NOT_FOUND', `deployment ${id} does not exist`);
    return deploymentView(found.row, config, found);
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

function releaseRoutes(app: ApiInstance, { releases, limiter, config }: DeploymentRoutesOptions): void {
  app.post(
    '/api/deployments/:id/redeploy',
    { config: deploy, schema: { params: idParams, response: { 202: deploymentViewSchema, ...errorResponses } } },
    async (request, reply) => {
      await limiter.take(request.token!.id);
      const row = await releases.redeploy(request.params.id);
      return reply.status(202).header('location', `/api/deployments/${row.id}`).send(deploymentView(row, config));
    },
  );

  app.post('/api/deployments/:id/promote', { config: deploy, schema: { params: idParams, response: viewResponse } }, async (request) =>
    deploymentView(await releases.promote(request.params.id), config, { current: true }),
  );
}

/**
 * The project a deployment goes to, made on first use by `POST /api/deployments` (with the source's
 * settings) in the same statement that reads it. A name no new project may have is refused, unless a
 * project of that name exists already (made before the rule was).
 */
async function projectFor(
  projects: ProjectStore,
  reads: GroupCommit<NewProject, ProjectRow>,
  input: DeploymentInput,
  baseDomain: string,
): Promise<ProjectRow> {
  try {
    assertProjectName(input.project, baseDomain);
  } catch (err) {
    const existing = await projects.get(input.project);
    if (existing) return existing;
    throw err;
  }
  return reads.submit({
    name: input.project,
    gitUrl: input.gitUrl ?? null,
    ref: input.ref ?? null,
    rootDir: input.rootDir,
    port: input.port,
    healthPath: input.healthPath,
    envSealed: null,
    buildEnvSealed: null,
  });
}
