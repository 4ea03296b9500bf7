import { z } from '@berth/shared/config';
import type { DeploymentLifecycle } from '@berth/shared/deployment-lifecycle';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import { isFinal } from '@berth/shared/deployment-state';
import type { ProjectRow } from '@berth/shared/db';
import { BerthError } from '@berth/shared/errors';
import { assertSafeGitRef, assertSafeGitUrl } from '@berth/shared/git-url';
import type { ProjectStore } from '@berth/shared/project-store';
import type { SecretBox } from '@berth/shared/secret-box';
import type { ConcurrencyLimit } from '../concurrency-limit.ts';
import type { ApiConfig } from '../config.ts';
import { assertProjectName, envRecord, envSchema, parseBody, healthPathSchema, normalizeRootDir, archiveFormat } from '../deployment-input.ts';
import { deploymentView, deploymentViewSchema, type Urls } from '../deployment-view.ts';
import { projectView, projectViewSchema } from '../project-view.ts';
import type { RateLimiter } from '../rate-limiter.ts';
import type { Releases } from '../releases.ts';
import type { ApiInstance, ApiPlugin } from './api-plugin.ts';
import { readMultipart } from './deployment-upload.ts';
import { errorResponses } from './error-schema.ts';
import { refuseLocalGitHost } from './git-host.ts';
import { newSigningSecret } from '@berth/shared/webhook-signature';
import { checkReplicas, type ReplicaStore } from '@berth/shared/replica-store';
import { replicaLimits, scaleSchema, type ReplicaConfig } from './deployment-scale.ts';

export interface ProjectRoutesOptions {
  projects: ProjectStore;
  store: Pick<DeploymentStore, 'get' | 'getMany' | 'list'>;
  releases: Releases;
  lifecycle: DeploymentLifecycle;
  secrets: SecretBox;
  limiter: RateLimiter;
  uploads: ConcurrencyLimit;
  replicas: ReplicaStore;
  config: Urls & ReplicaConfig & Pick<ApiConfig, 'DEFAULT_APP_PORT' | 'GIT_ALLOW_PRIVATE_HOSTS'>;
}

const read = { access: 'read' } as const;
const deploy = { access: 'deploy' } as const;
const nameParams = {
  type: 'object',
  properties: { name: { type: 'string', maxLength: 64 } },
  required: ['name'],
} as const;
const envBody = { type: 'object', additionalProperties: { type: ['string', 'null'] } } as const;
export const settingsProperties = {
  gitUrl: { type: ['string', 'null'] },
  ref: { type: ['string', 'null'] },
  rootDir: { type: 'string' },
  port: { type: ['integer', 'null'], minimum: 1, maximum: 65535 },
  healthPath: { type: 'string' },
} as const;
const envKeysSchema = {
  type: 'object',
  properties: { envKeys: { type: 'array', items: { type: 'string' } }, buildEnvKeys: { type: 'array', items: { type: 'string' } } },
  required: ['envKeys', 'buildEnvKeys'],
  additionalProperties: false,
} as const;

/** Project settings as a request sends them (POST and PATCH), checked like a deployment's. */
const settingsSchema = z
  .object({
    gitUrl: z.string().min(1).max(2000).nullable().optional(),
    ref: z.string().min(1).max(255).nullable().optional(),
    rootDir: z.string().max(500).optional(),
    port: z.number().int().min(1).max(65535).nullable().optional(),
    healthPath: healthPathSchema.optional(),
  })
  .strict();
/** PATCH also takes `replicas` (checked by checkReplicas, see deployment-scale.ts). */
const patchSchema = settingsSchema.extend(scaleSchema.shape).strict();
const createSchema = settingsSchema.extend({ name: z.string().min(1).max(64), env: envSchema.optional(), buildEnv: envSchema.optional() }).strict();
const envPatchValues = envRecord(z.string().max(32 * 1024).nullable()).optional();
const envPutSchema = z.object({ env: envSchema, buildEnv: envSchema.optional() }).strict();
const envPatchSchema = z.object({ env: envPatchValues, buildEnv: envPatchValues }).strict();
export const deployJsonSchema = z.object({ ref: z.string().min(1).max(255).optional(), promote: z.boolean().optional(), env: envSchema.optional() }).strict();
const rollbackSchema = z.object({ deploymentId: z.string().regex(/^[a-z0-9]{1,64}$/).optional() }).strict();


/** Projects: settings, sealed env, deploys, rollback. */
export const projectRoutes: ApiPlugin<ProjectRoutesOptions> = async (app, opts) => {
  crudRoutes(app, opts);
  envRoutes(app, opts);
  releaseRoutes(app, opts);
};

function keysOf(secrets: SecretBox, row: ProjectRow): { env: string[]; buildEnv: string[] } {
  return {
    env: row.env_sealed ? Object.keys(secrets.open(row.env_sealed)) : [],
    buildEnv: row.build_env_sealed ? Object.keys(secrets.open(row.build_env_sealed)) : [],
  };
}

async function checkSettings(
  s: z.infer<typeof settingsSchema>,
  config: ProjectRoutesOptions['config'],
): Promise<{ gitUrl?: string | null; ref?: string | null; rootDir?: string; port?: number | null; healthPath?: string }> {
  if (s.gitUrl) {
    assertSafeGitUrl(s.gitUrl);
    await refuseLocalGitHost(s.gitUrl, config.GIT_ALLOW_PRIVATE_HOSTS);
  }
  if (s.ref) assertSafeGitRef(s.ref);
  return {
    ...(s.gitUrl !== undefined ? { gitUrl: s.gitUrl } : {}),
    ...(s.ref !== undefined ? { ref: s.ref } : {}),
    ...(s.rootDir !== undefined ? { rootDir: normalizeRootDir(s.rootDir) } : {}),
    ...(s.port !== undefined ? { port: s.port } : {}),
    ...(s.healthPath !== undefined ? { healthPath: s.healthPath } : {}),
  };
}

function crudRoutes(app: ApiInstance, { projects, store, secrets, lifecycle, replicas, config }: ProjectRoutesOptions): void {
  const detail = async (row: ProjectRow) => {
    const current = row.current_deployment_id ? await store.get(row.current_deployment_id) : undefined;
    return projectView(row, config, keysOf(secrets, row), {
      current,
      releases: await projects.releases(row.name),
      disk: await projects.disk(row.name),
    });
  };
  const one = { params: nameParams, response: { 200: projectViewSchema, ...errorResponses } } as const;

  app.post(
    '/api/projects',
    {
      config: deploy,
      schema: {
        body: { type: 'object', properties: { name: { type: 'string' }, ...settingsProperties, env: envBody, buildEnv: envBody }, required: ['name'] },
        response: { 201: projectViewSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = parseBody(createSchema, request.body);
      assertProjectName(body.name, config.BASE_DOMAIN);
      // The git hooks' secret: shown in this answer only (rotate it to see a new one).
      const hookSecret = newSigningSecret('hooksec');
      const row = await projects.create({
        name: body.name,
        hookSecretSealed: secrets.seal({ secret: hookSecret }),
        ...(await checkSettings(body, config)),
        envSealed: body.env && Object.keys(body.env).length ? secrets.seal(body.env) : null,
        buildEnvSealed: body.buildEnv && Object.keys(body.buildEnv).length ? secrets.seal(body.buildEnv) : null,
      });
      request.log.info({ project: row.name }, 'project created');
      return reply.status(201).header('location', `/api/projects/${row.name}`).send({ ...(await detail(row)), hookSecret });
    },
  );

  app.get(
    '/api/projects',
    { config: read, schema: { response: { 200: { type: 'object', properties: { items: { type: 'array', items: projectViewSchema } }, required: ['items'], additionalProperties: false }, ...errorResponses } } },
    async () => {
      const rows = await projects.list();
      // Every project's current deployment in one query (not one per project).
      const currents = await store.getMany(rows.flatMap((r) => (r.current_deployment_id ? [r.current_deployment_id] : [])));
      const items = rows.map((row) =>
        projectView(row, config, keysOf(secrets, row), { current: row.current_deployment_id ? currents.get(row.current_deployment_id) : undefined }),
      );
      return { items };
    },
  );

  app.get('/api/projects/:name', { config: read, schema: one }, async (request) => detail(await projects.mustGet(request.params.name)));

  app.post(
    '/api/projects/:name/hook-secret',
    { config: deploy, schema: { params: nameParams, response: { 200: { type: 'object', properties: { hookUrl: { type: 'string' }, hookSecret: { type: 'string' } }, required: ['hookUrl', 'hookSecret'], additionalProperties: false }, ...errorResponses } } },
    async (request) => {
      const row = await projects.mustGet(request.params.name);
      const hookSecret = newSigningSecret('hooksec');
      await projects.setHookSecret(row.name, secrets.seal({ secret: hookSecret }));
      request.log.info({ project: row.name }, 'hook secret rotated');
      return { hookUrl: projectView(row, config, { env: [], buildEnv: [] }).hookUrl, hookSecret };
    },
  );

  app.patch(
    '/api/projects/:name',
    { config: deploy, schema: { ...one, body: { type: 'object', properties: settingsProperties } } },
    async (request) => {
      const { replicas: asked, ...body } = parseBody(patchSchema, request.body);
      const count = asked === undefined ? undefined : checkReplicas(asked, replicaLimits(config));
      const settings = await checkSettings(body, config);
      // The project's current release follows at once (what its URL serves); new releases take the count too.
      if (count !== undefined) await replicas.scaleProject(request.params.name, count);
      return detail(await projects.update(request.params.name, settings));
    },
  );

  app.delete(
    '/api/projects/:name',
    {
      config: deploy,
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

function envRoutes(app: ApiInstance, { projects, secrets }: ProjectRoutesOptions): void {
  const schema = { params: nameParams, response: { 200: envKeysSchema, ...errorResponses } } as const;
  const keys = (row: ProjectRow) => {
    const k = keysOf(secrets, row);
    return { envKeys: k.env.sort(), buildEnvKeys: k.buildEnv.sort() };
  };
  const sealOrNull = (env: Record<string, string>) => (Object.keys(env).length ? secrets.seal(env) : null);

  app.get('/api/projects/:name/env', { config: read, schema }, async (request) => keys(await projects.mustGet(request.params.name)));

  app.put(
    '/api/projects/:name/env',
    { config: deploy, schema: { ...schema, body: { type: 'object', properties: { env: envBody, buildEnv: envBody }, required: ['env'] } } },
    async (request) => {
      const body = parseBody(envPutSchema, request.body);
      const row = await projects.changeEnv(request.params.name, () => ({
        env: sealOrNull(body.env),
        ...(body.buildEnv ? { buildEnv: sealOrNull(body.buildEnv) } : {}),
      }));
      return keys(row);
    },
  );

  app.patch(
    '/api/projects/:name/env',
    { config: deploy, schema: { ...schema, body: { type: 'object', properties: { env: envBody, buildEnv: envBody } } } },
    async (request) => {
      const body = parseBody(envPatchSchema, request.body);
      const merge = (sealed: string | null, patch: Record<string, string | null> | undefined) => {
        const next = { ...(sealed ? secrets.open(sealed) : {}) };
        for (const [k, v] of Object.entries(patch ?? {})) {
          if (v === null) delete next[k];
          else next[k] = v;
        }
        if (Object.keys(next).length > 200) throw new BerthError('VALIDATION_FAILED', 'at most 200 env variables');
        return sealOrNull(next);
      };
      const row = await projects.changeEnv(request.params.name, (current) => ({
        ...(body.env ? { env: merge(current.env, body.env) } : {}),
        ...(body.buildEnv ? { buildEnv: merge(current.buildEnv, body.buildEnv) } : {}),
      }));
      return keys(row);
    },
  );
}

function releaseRoutes(app: ApiInstance, { projects, releases, limiter, uploads, config }: ProjectRoutesOptions): void {
  app.post(
    '/api/projects/:name/deployments',
    { config: deploy, schema: { params: nameParams, response: { 202: deploymentViewSchema, ...errorResponses } } },
    async (request, reply) => {
      const project = await projects.mustGet(request.params.name);
      await limiter.take(request.token!.id);
      let source: Parameters<Releases['create']>[0]['source'];
      let promote = true;
      let overrides: Record<string, string> = {};
      if (request.isMultipart()) {
        const { fields, archive } = await uploads.run(() => readMultipart(request));
        if (!archive) throw new BerthError('SOURCE_MISSING', 'send the archive as the multipart field projectArchive');
        const extra = Object.keys(fields).filter((k) => !['promote', 'env', 'sourceType'].includes(k));
        if (extra.length) throw new BerthError('VALIDATION_FAILED', `${extra[0]}: set it on the project (PATCH /api/projects/${project.name})`);
        if (fields.sourceType === 'git') throw new BerthError('SOURCE_AMBIGUOUS', 'sourceType is git, but the request carries an archive');
        source = { type: 'archive', archive: { format: archiveFormat(archive.data), data: archive.data } };
        promote = fields.promote ?? true;
        overrides = fields.env ?? {};
      } else {
        const body = parseBody(deployJsonSchema, request.body);
        if (!project.git_url) {
          throw new BerthError('SOURCE_MISSING', `${project.name} has no gitUrl: set one (PATCH /api/projects/${project.name}) or upload an archive (multipart projectArchive)`);
        }
        if (body.ref) assertSafeGitRef(body.ref);
        await refuseLocalGitHost(project.git_url, config.GIT_ALLOW_PRIVATE_HOSTS);
        source = { type: 'git', gitUrl: project.git_url, ref: body.ref ?? project.git_ref };
        promote = body.promote ?? true;
        overrides = body.env ?? {};
      }
      const { env, buildEnv } = releases.projectEnv(project);
      const row = await releases.create({
        project,
        source,
        rootDir: project.root_dir,
        port: project.port ?? config.DEFAULT_APP_PORT,
        healthPath: project.health_path,
        env: { ...env, ...overrides },
        buildEnv,
        promote,
      });
      request.log.info({ deploymentId: row.id, project: project.name, source: row.source_type }, 'deployment queued');
      return reply.status(202).header('location', `/api/deployments/${row.id}`).send(deploymentView(row, config, { queuePosition: null }));
    },
  );

  app.post(
    '/api/projects/:name/rollback',
    {
      config: deploy,
      schema: {
        params: nameParams,
        body: { type: ['object', 'null'], properties: { deploymentId: { type: 'string' } } },
        response: { 200: deploymentViewSchema, 202: deploymentViewSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = parseBody(rollbackSchema, request.body);
      await limiter.take(request.token!.id);
      const { deployment, switched } = await releases.rollback(request.params.name, body.deploymentId);
      return reply
        .status(switched ? 200 : 202)
        .header('location', `/api/deployments/${deployment.id}`)
        .send(deploymentView(deployment, config, { current: switched }));
    },
  );
}
