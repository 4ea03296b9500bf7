import { visibleProjects, type Action } from '@berth/shared/accounts/policy';
import type { MemberStore } from '@berth/shared/accounts/member-store';
import type { FastifyRequest } from 'fastify';
import { makeCreatorAdmin } from '../access/creator.ts';
import { callerAccess } from '../access/decide.ts';
import { showsSecrets } from '../secret-view.ts';
import type { DeploymentLifecycle } from '@berth/shared/deployment-lifecycle';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import { isFinal } from '@berth/shared/deployment-state';
import type { ProjectRow } from '@berth/shared/db';
import type { ProjectStore } from '@berth/shared/project-store';
import { sealedPlace, type SecretBox } from '@berth/shared/secret-box';
import type { ConcurrencyLimit } from '../concurrency-limit.ts';
import type { ApiConfig } from '../config.ts';
import { assertProjectName } from '../deployment-input.ts';
import type { Urls } from '../deployment-view.ts';
import { checkSettings, createBody, createSchema, nameParams, patchBody, patchSchema } from '../project-input.ts';
import { bodyOf } from '../zod-body.ts';
import { envKeysOf, projectView, projectViewSchema } from '../project-view.ts';
import type { RateLimiter } from '../rate-limiter.ts';
import type { Releases } from '../releases.ts';
import type { ApiInstance, ApiPlugin } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';
import { projectEnvRoutes } from './project-env.ts';
import { registryAuthRoutes } from './project-registry-auth.ts';
import { projectReleaseRoutes } from './project-releases.ts';
import { newSigningSecret } from '@berth/shared/webhook-signature';
import { checkReplicas, type ReplicaStore } from '@berth/shared/replica-store';
import type { ProcessStore } from '@berth/shared/process-store';
import { BerthError } from '@berth/shared/errors';
import { replicaLimits, type ReplicaConfig } from './deployment-scale.ts';

export interface ProjectRoutesOptions {
  projects: ProjectStore;
  store: Pick<DeploymentStore, 'get' | 'getMany' | 'list'>;
  releases: Releases;
  lifecycle: DeploymentLifecycle;
  secrets: SecretBox;
  limiter: RateLimiter;
  uploads: ConcurrencyLimit;
  replicas: ReplicaStore;
  processes: Pick<ProcessStore, 'scaleProject'>;
  /** The person who makes a project becomes its admin. */
  members: Pick<MemberStore, 'addFirstAdmin'>;
  config: Urls & ReplicaConfig & Pick<ApiConfig, 'DEFAULT_APP_PORT' | 'GIT_ALLOW_PRIVATE_HOSTS' | 'BERTH_RUNTIME'>;
}

const onProject = <A extends Action>(action: A) => ({ action, project: 'param' }) as const;

/** Projects: settings, sealed env, deploys, rollback. */
export const projectRoutes: ApiPlugin<ProjectRoutesOptions> = async (app, opts) => {
  const detail = projectDetail(opts);
  createRoute(app, opts, detail);
  readRoutes(app, opts, detail);
  changeRoutes(app, opts, detail);
  deleteRoute(app, opts);
  projectEnvRoutes(app, opts);
  registryAuthRoutes(app, opts);
  projectReleaseRoutes(app, opts);
};

type Detail = (row: ProjectRow, request: FastifyRequest) => Promise<ReturnType<typeof projectView>>;
const one = { params: nameParams, response: { 200: projectViewSchema, ...errorResponses } } as const;

/** A project as GET /api/projects/:name shows it: with its current release, releases, disk use and what the caller may do. */
function projectDetail({ projects, store, secrets, config }: ProjectRoutesOptions): Detail {
  return async (row, request) => {
    const current = row.current_deployment_id ? await store.get(row.current_deployment_id) : undefined;
    const view = projectView(row, config, envKeysOf(secrets, row), {
      current,
      releases: await projects.releases(row.name),
      disk: await projects.disk(row.name),
    });
    return { ...view, access: callerAccess(request, row.name) };
  };
}

function createRoute(app: ApiInstance, { projects, secrets, members, config }: ProjectRoutesOptions, detail: Detail): void {
  app.post(
    '/api/projects',
    {
      config: { action: 'project.create' },
      schema: {
        body: createBody,
        response: { 201: projectViewSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = bodyOf(createSchema, request);
      assertProjectName(body.name, config.BASE_DOMAIN);
      // The git hooks' secret: shown in this answer only (rotate it to see a new one).
      const hookSecret = newSigningSecret('hooksec');
      const row = await projects.create({
        name: body.name,
        hookSecretSealed: secrets.seal({ secret: hookSecret }, sealedPlace(body.name, 'hookSecret')),
        ...(await checkSettings(body, config)),
        envSealed: body.env && Object.keys(body.env).length ? secrets.seal(body.env, sealedPlace(body.name, 'env')) : null,
        buildEnvSealed: body.buildEnv && Object.keys(body.buildEnv).length ? secrets.seal(body.buildEnv, sealedPlace(body.name, 'buildEnv')) : null,
      });
      await makeCreatorAdmin(request, members, row.name);
      request.log.info({ project: row.name }, 'project created');
      // Shown once, to a creator who may read the project's secrets (an admin-scope token, or a person, now its admin).
      const shown = showsSecrets(request, row.name) ? { hookSecret } : {};
      return reply.status(201).header('location', `/api/projects/${row.name}`).send({ ...(await detail(row, request)), ...shown });
    },
  );
}

function readRoutes(app: ApiInstance, { projects, store, secrets, config }: ProjectRoutesOptions, detail: Detail): void {
  app.get(
    '/api/projects',
    { config: { action: 'project.read', project: 'list' }, schema: { response: { 200: { type: 'object', properties: { items: { type: 'array', items: projectViewSchema } }, required: ['items'], additionalProperties: false }, ...errorResponses } } },
    async (request) => {
      const visible = visibleProjects(request.caller.principal);
      const rows = (await projects.list()).filter((row) => visible === 'all' || visible.has(row.name));
      // Every project's current deployment in one query (not one per project).
      const currents = await store.getMany(rows.flatMap((r) => (r.current_deployment_id ? [r.current_deployment_id] : [])));
      const items = rows.map((row) =>
        projectView(row, config, envKeysOf(secrets, row), { current: row.current_deployment_id ? currents.get(row.current_deployment_id) : undefined }),
      );
      return { items };
    },
  );

  app.get('/api/projects/:name', { config: onProject('project.read'), schema: one }, async (request) => detail(await projects.mustGet(request.params.name), request));
}

function changeRoutes(app: ApiInstance, { projects, secrets, replicas, processes, config }: ProjectRoutesOptions, detail: Detail): void {
  app.post(
    '/api/projects/:name/hook-secret',
    { config: onProject('project.hook-secret.rotate'), schema: { params: nameParams, response: { 200: { type: 'object', properties: { hookUrl: { type: 'string' }, hookSecret: { type: 'string' } }, required: ['hookUrl', 'hookSecret'], additionalProperties: false }, ...errorResponses } } },
    async (request) => {
      const row = await projects.mustGet(request.params.name);
      const hookSecret = newSigningSecret('hooksec');
      await projects.setHookSecret(row.name, secrets.seal({ secret: hookSecret }, sealedPlace(row.name, 'hookSecret')));
      request.log.info({ project: row.name }, 'hook secret rotated');
      return { hookUrl: projectView(row, config, { env: [], buildEnv: [] }).hookUrl, hookSecret };
    },
  );

  app.patch(
    '/api/projects/:name',
    { config: onProject('project.settings.update'), schema: { ...one, body: patchBody } },
    async (request) => {
      const { replicas: asked, processes: counts, ...body } = bodyOf(patchSchema, request);
      const count = asked === undefined ? undefined : checkReplicas(asked, replicaLimits(config));
      const settings = await checkSettings(body, config);
      if (counts !== undefined && config.BERTH_RUNTIME !== 'docker') {
        throw new BerthError('NEEDS_DOCKER_RUNTIME', 'processes besides web need BERTH_RUNTIME=docker: swarm mode runs the web process only');
      }
      // UNKNOWN_PROCESS_TYPE before anything changes; the current release's processes follow at once.
      if (counts !== undefined) await processes.scaleProject(request.params.name, counts);
      // The project's current release follows at once (what its URL serves); new releases take the count too.
      if (count !== undefined) await replicas.scaleProject(request.params.name, count);
      return detail(await projects.update(request.params.name, settings), request);
    },
  );
}

function deleteRoute(app: ApiInstance, { projects, store, lifecycle }: ProjectRoutesOptions): void {
  app.delete(
    '/api/projects/:name',
    {
      config: onProject('project.delete'),
      schema: {
        params: nameParams,
        response: {
          200: { type: 'object', properties: { name: { type: 'string' }, stopped: { type: 'array', items: { type: 'string' } } }, required: ['name', 'stopped'], additionalProperties: false },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { name } = request.params;
      await projects.mustGet(name);
      // Everything of it stops first (workers remove containers; the reaper removes what is left, images too).
      const stopped: string[] = [];
      for (;;) {
        const page = await store.list({ limit: 100, project: name });
        const live = page.items.filter((d) => !isFinal(d.status));
        if (live.length === 0) break;
        for (const d of live) {
          await lifecycle.stop(d.id);
          stopped.push(d.id);
        }
      }
      await projects.delete(name);
      request.log.info({ project: name, stopped }, 'project deleted');
      return { name, stopped };
    },
  );
}

