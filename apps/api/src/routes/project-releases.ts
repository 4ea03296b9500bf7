import type { FastifyRequest } from 'fastify';
import type { ProjectRow } from '@berth/shared/db';
import { BerthError } from '@berth/shared/errors';
import { assertSafeGitRef } from '@berth/shared/git-url';
import { checkImageReference } from '@berth/shared/image-reference';
import type { ProjectStore } from '@berth/shared/project-store';
import type { ConcurrencyLimit } from '../concurrency-limit.ts';
import type { ApiConfig } from '../config.ts';
import { archiveFormat, parseBody } from '../deployment-input.ts';
import { deploymentView, deploymentViewSchema, type Urls } from '../deployment-view.ts';
import { deployJsonSchema, nameParams, rollbackBody, rollbackSchema } from '../project-input.ts';
import type { RateLimiter } from '../rate-limiter.ts';
import type { ReleaseRequest } from '../release-inputs.ts';
import type { Releases } from '../releases.ts';
import type { ApiInstance } from './api-plugin.ts';
import { readMultipart } from './deployment-upload.ts';
import { errorResponses } from './error-schema.ts';
import { refuseLocalGitHost } from './git-host.ts';
import { bodyOf } from '../zod-body.ts';
import { rateKey } from '../access/decide.ts';

export interface ProjectReleaseRoutesOptions {
  projects: Pick<ProjectStore, 'mustGet'>;
  releases: Releases;
  limiter: RateLimiter;
  uploads: ConcurrencyLimit;
  config: Urls & Pick<ApiConfig, 'GIT_ALLOW_PRIVATE_HOSTS'>;
}

const deploy = { action: 'deployment.create', project: 'param' } as const;
const rollback = { action: 'deployment.rollback', project: 'param' } as const;

/** What a deploy of a project asks for besides the project's settings. */
type Asked = Pick<ReleaseRequest, 'source' | 'promote' | 'env'>;

/** Deploying a project (its git source, or an uploaded archive with its settings) and rolling it back. */
export function projectReleaseRoutes(app: ApiInstance, { projects, releases, limiter, uploads, config }: ProjectReleaseRoutesOptions): void {
  app.post(
    '/api/projects/:name/deployments',
    { config: deploy, schema: { params: nameParams, response: { 202: deploymentViewSchema, ...errorResponses } } },
    async (request, reply) => {
      const project = await projects.mustGet(request.params.name);
      await limiter.take(rateKey(request));
      const asked = request.isMultipart() ? await archiveDeploy(request, project, uploads) : await gitDeploy(request.body, project, config);
      const row = await releases.deployProject(project, { project: project.name, ...asked });
      request.log.info({ deploymentId: row.id, project: project.name, source: row.source_type }, 'deployment queued');
      return reply.status(202).header('location', `/api/deployments/${row.id}`).send(deploymentView(row, config, { queuePosition: null }));
    },
  );

  app.post(
    '/api/projects/:name/rollback',
    {
      config: rollback,
      schema: {
        params: nameParams,
        body: rollbackBody,
        response: { 200: deploymentViewSchema, 202: deploymentViewSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = bodyOf(rollbackSchema, request);
      await limiter.take(rateKey(request));
      const { deployment, switched } = await releases.rollback(request.params.name, body.deploymentId);
      return reply
        .status(switched ? 200 : 202)
        .header('location', `/api/deployments/${deployment.id}`)
        .send(deploymentView(deployment, config, { current: switched }));
    },
  );
}

/** A deploy with an uploaded archive: only `promote` and `env` may come with it (the rest is the project's). */
async function archiveDeploy(request: FastifyRequest, project: ProjectRow, uploads: ConcurrencyLimit): Promise<Asked> {
  const { fields, archive } = await uploads.run(() => readMultipart(request));
  if (!archive) throw new BerthError('SOURCE_MISSING', 'send the archive as the multipart field projectArchive');
  const extra = Object.keys(fields).filter((k) => !['promote', 'env', 'sourceType'].includes(k));
  if (extra.length) throw new BerthError('VALIDATION_FAILED', `${extra[0]}: set it on the project (PATCH /api/projects/${project.name})`);
  if (fields.sourceType === 'git') throw new BerthError('SOURCE_AMBIGUOUS', 'sourceType is git, but the request carries an archive');
  return {
    source: { type: 'archive', archive: { format: archiveFormat(archive.data), data: archive.data } },
    promote: fields.promote ?? true,
    env: fields.env ?? {},
  };
}

/** A deploy of the project's git source, at its ref or the one asked; or of a prebuilt image (`image`). */
async function gitDeploy(raw: unknown, project: ProjectRow, config: ProjectReleaseRoutesOptions['config']): Promise<Asked> {
  const body = parseBody(deployJsonSchema, raw);
  if (body.image !== undefined) {
    if (body.ref !== undefined) throw new BerthError('SOURCE_AMBIGUOUS', 'give an image or a git ref, not both');
    // Refused here already when the name alone says so; the worker checks the registry's host before it pulls.
    checkImageReference(body.image);
    return { source: { type: 'image', image: body.image }, promote: body.promote ?? true, env: body.env ?? {} };
  }
  if (!project.git_url) {
    throw new BerthError('SOURCE_MISSING', `${project.name} has no gitUrl: set one (PATCH /api/projects/${project.name}) or upload an archive (multipart projectArchive)`);
  }
  if (body.ref) assertSafeGitRef(body.ref);
  await refuseLocalGitHost(project.git_url, config.GIT_ALLOW_PRIVATE_HOSTS);
  return { source: { type: 'git', gitUrl: project.git_url, ref: body.ref ?? project.git_ref }, promote: body.promote ?? true, env: body.env ?? {} };
}
