import { may, visibleProjects, type Action } from '@berth/shared/accounts/policy';
import { deploymentStatuses } from '@berth/shared/deployment-state';
import type { DeploymentLifecycle } from '@berth/shared/deployment-lifecycle';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import { BerthError } from '@berth/shared/errors';
import type { ApiConfig } from '../config.ts';
import { deploymentView, deploymentViewSchema, type Urls } from '../deployment-view.ts';
import { assertProjectName, parseFields, toDeploymentInput, type DeploymentFields, type DeploymentInput } from '../deployment-input.ts';
import type { ProjectRow } from '@berth/shared/db';
import type { ProjectStore } from '@berth/shared/project-store';
import { GroupCommit } from '../group-commit.ts';
import { DeploymentReads, sharedReads } from '../deployment-reads.ts';
import type { DeploymentQueue } from '../deployment-queue.ts';
import type { FastifyRequest } from 'fastify';
import type { MemberStore } from '@berth/shared/accounts/member-store';
import { assertMay, callerMay } from '../auth.ts';
import { missingProject, rateKey } from '../access/decide.ts';
import { claimNewProject } from '../access/creator.ts';
import type { Releases } from '../releases.ts';
import type { ReleaseSource } from '../release-inputs.ts';
import type { RateLimiter } from '../rate-limiter.ts';
import type { ConcurrencyLimit } from '../concurrency-limit.ts';
import type { ApiInstance, ApiPlugin } from './api-plugin.ts';
import { idParams } from './deployment-params.ts';
import { readMultipart } from './deployment-upload.ts';
import { errorResponses } from './error-schema.ts';
import { refuseLocalGitHost } from './git-host.ts';

export interface DeploymentRoutesOptions {
  store: Pick<DeploymentStore, 'getManyWithPlace' | 'list'>;
  /** Where queued deployments wait (the queue's own rank). */
  queue: Pick<DeploymentQueue, 'placesOf'>;
  projects: ProjectStore;
  releases: Releases;
  uploads: ConcurrencyLimit;
  /** Every status change (a failed enqueue, cancel, stop) goes through it. */
  lifecycle: DeploymentLifecycle;
  limiter: RateLimiter;
  /** A person who makes a project by deploying to it becomes its admin. */
  members: Pick<MemberStore, 'addFirstAdmin'>;
  config: Urls & Pick<ApiConfig, 'DEFAULT_APP_PORT' | 'GIT_ALLOW_PRIVATE_HOSTS'>;
}

/** The project is in the body (JSON or multipart): the handler decides once it has read it. */
const create = { action: 'deployment.create', project: 'handler' } as const;
const list = { action: 'project.read', project: 'list' } as const;
const onDeployment = <A extends Action>(action: A) => ({ action, project: 'deployment' }) as const;
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

function createRoute(app: ApiInstance, { projects, releases, uploads, limiter, members, lifecycle, config }: DeploymentRoutesOptions): void {
  // Projects read by requests arriving together go in one statement. Only read: a missing one is made by
  // the statement that writes the deployment, so a request the limiter refuses has written nothing.
  const projectReads = new GroupCommit<string, ProjectRow | undefined>(async (names) => {
    const found = await projects.getMany(names);
    return names.map((name) => ({ ok: true, value: found.get(name) }));
  });
  const prepare = async (request: FastifyRequest, fields: DeploymentFields, archive: { data: Buffer; filename: string } | undefined) => {
    const input = toDeploymentInput(fields, archive, { port: config.DEFAULT_APP_PORT });
    const project = await projectFor(projectReads, input, config.BASE_DOMAIN);
    assertMayDeploy(request, input.project, project);
    if (input.gitUrl) await refuseLocalGitHost(input.gitUrl, config.GIT_ALLOW_PRIVATE_HOSTS);
    return { input, project };
  };
  // No body schema: the fields come as JSON or as multipart form fields next to the archive, and one
  // validator (deployment-input.ts) checks both ways alike, with the same messages.
  const schema = { response: { 202: deploymentViewSchema, ...errorResponses } } as const;
  app.post('/api/deployments', { config: create, schema }, async (request, reply) => {
    assertMayDeploySomewhere(request);
    const allowed = limiter.take(rateKey(request));
    // An archive is received only once the limiter allowed the request (a refused one takes no upload
    // slot); a JSON body is here already, and is checked, and its project read, during the limiter's
    // round trip, whose refusal still comes first.
    const { input, project } = request.isMultipart()
      ? await allowed.then(() => uploads.run(() => readMultipart(request))).then(({ fields, archive }) => prepare(request, fields, archive))
      : await whileAllowed(allowed, (async () => prepare(request, parseFields(request.body), undefined))());
    const row = await releases.deployProject(project, {
      project: input.project,
      // The project is made on first use, with the source's settings.
      projectSettings: { gitUrl: input.gitUrl ?? null, ref: input.ref ?? null, rootDir: input.rootDir, port: input.port, healthPath: input.healthPath },
      source: sourceOf(input),
      // This request's settings, not the project's (only the health path falls back to the project's).
      settings: { rootDir: input.rootDir, port: input.port, ...(input.healthPath !== undefined ? { healthPath: input.healthPath } : {}) },
      env: input.env,
      promote: input.promote,
    });
    if (!project && !(await claimNewProject(request, members, input.project))) {
      await lifecycle.cancel(row.id);
      throw missingProject(input.project);
    }
    const id = row.id;
    request.log.info({ deploymentId: id, project: input.project, source: row.source_type }, 'deployment queued');
    return reply
      .status(202)
      .header('location', `/api/deployments/${id}`)
      .send(deploymentView(row, config));
  });
}

/** What the request deploys: an archive, a prebuilt image or a git source (toDeploymentInput made sure there is one). */
function sourceOf(input: DeploymentInput): ReleaseSource {
  if (input.archive) return { type: 'archive', archive: input.archive };
  if (input.image !== undefined) return { type: 'image', image: input.image };
  return { type: 'git', gitUrl: input.gitUrl!, ref: input.ref ?? null };
}

/**
 * Before anything is received (an archive upload is up to MAX_ARCHIVE_BYTES):
 * a caller who can deploy nowhere, and make no project, is refused at once
 * (a read token, a viewer's token of scope deploy that made no project...).
 */
function assertMayDeploySomewhere(request: FastifyRequest): void {
  const principal = request.caller.principal;
  if (may(principal, 'project.create') === 'allow') return;
  const visible = visibleProjects(principal);
  // 'all': an owner-level caller, the same in every project (any name stands for them all).
  const names = visible === 'all' ? ['any'] : [...visible];
  if (!names.some((name) => may(principal, 'deployment.create', name) === 'allow')) assertMay(request, 'project.create');
}

/**
 * May the caller deploy to `name`? Into an existing project: deployment.create
 * there (404 when the caller may not see it, as for a project that does not
 * exist). A new one is made by this deploy: project.create; a caller who may
 * not make projects is told it does not exist (the truth, and no hint of
 * which names are taken).
 */
function assertMayDeploy(request: FastifyRequest, name: string, existing: ProjectRow | undefined): void {
  if (existing) return assertMay(request, 'deployment.create', name);
  if (!callerMay(request, 'project.create')) throw missingProject(name);
}

/**
 * `work`'s answer once `allowed` (the rate limiter) settled: its refusal wins
 * over whatever `work` answered, as if the limiter had been asked first.
 * `work` must write nothing.
 */
async function whileAllowed<T>(allowed: Promise<void>, work: Promise<T>): Promise<T> {
  const [limit, result] = await Promise.allSettled([allowed, work]);
  if (limit.status === 'rejected') throw limit.reason;
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

function readRoutes(app: ApiInstance, { store, queue, config }: DeploymentRoutesOptions): void {
  const reads = new DeploymentReads(store, queue);
  // The same page asked for by requests arriving together (a dashboard's polls): one statement.
  const pages = sharedReads((query: Parameters<typeof store.list>[0]) => store.list(query));
  app.get(
    '/api/deployments',
    { config: list, schema: { querystring: listQuery, response: { 200: listSchema, ...errorResponses } } },
    async (request) => {
      const q = request.query;
      const visible = visibleProjects(request.caller.principal);
      const projects = visible === 'all' ? undefined : [...visible];
      if (projects?.length === 0) return { items: [], nextCursor: null };
      const page = await pages({ limit: q.limit, cursor: q.cursor, status: q.status, project: q.project, projects });
      return { items: page.items.map((row) => deploymentView(row, config)), nextCursor: page.nextCursor };
    },
  );

  app.get('/api/deployments/:id', { config: onDeployment('project.read'), schema: { params: idParams, response: viewResponse } }, async (request) => {
    // One query for the requests arriving together, and the queue's rank of the queued ones (DeploymentReads).
    const { id } = request.params;
    const found = await reads.get(id);
    if (!found) throw new BerthError('NOT_FOUND', `deployment ${id} does not exist`);
    return deploymentView(found.row, config, found);
  });
}

function stopRoutes(app: ApiInstance, deps: DeploymentRoutesOptions): void {
  const { config } = deps;
  const schema = { params: idParams, response: viewResponse } as const;
  app.post('/api/deployments/:id/cancel', { config: onDeployment('deployment.cancel'), schema }, async (request) => {
    const { id } = request.params;
    return deploymentView(await deps.lifecycle.cancel(id), config);
  });

  app.delete('/api/deployments/:id', { config: onDeployment('deployment.stop'), schema }, async (request) => {
    const { id } = request.params;
    return deploymentView(await deps.lifecycle.stop(id), config);
  });
}

function releaseRoutes(app: ApiInstance, { releases, limiter, config }: DeploymentRoutesOptions): void {
  app.post(
    '/api/deployments/:id/redeploy',
    { config: onDeployment('deployment.redeploy'), schema: { params: idParams, response: { 202: deploymentViewSchema, ...errorResponses } } },
    async (request, reply) => {
      await limiter.take(rateKey(request));
      const row = await releases.redeploy(request.params.id);
      return reply.status(202).header('location', `/api/deployments/${row.id}`).send(deploymentView(row, config));
    },
  );

  app.post('/api/deployments/:id/promote', { config: onDeployment('deployment.promote'), schema: { params: idParams, response: viewResponse } }, async (request) =>
    deploymentView(await releases.promote(request.params.id), config, { current: true }),
  );
}

/**
 * The project a deployment goes to, or undefined when there is none yet (the
 * statement that writes the deployment makes it). A name no new project may
 * have is refused, unless a project of that name exists already (made before
 * the rule was).
 */
async function projectFor(
  reads: GroupCommit<string, ProjectRow | undefined>,
  input: DeploymentInput,
  baseDomain: string,
): Promise<ProjectRow | undefined> {
  const existing = await reads.submit(input.project);
  if (!existing) assertProjectName(input.project, baseDomain);
  return existing;
}
