import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { Db, ProjectRow } from '@berth/shared/db';
import type { RateLimiter } from '../rate-limiter.ts';
import { BerthError } from '@berth/shared/errors';
import { assertSafeGitRef } from '@berth/shared/git-url';
import type { Logger } from '@berth/shared/logger';
import type { ProjectStore } from '@berth/shared/project-store';
import type { SecretBox } from '@berth/shared/secret-box';
import { previewLabel } from '@berth/shared/branch-slug';
import { hostUrl, type Urls } from '../deployment-view.ts';
import { deliveryId, detectProvider, parsePush, verifySignature, type PushEvent } from '../git-push.ts';
import type { Releases } from '../releases.ts';
import type { ApiPlugin } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';

export interface GitHookRoutesOptions {
  db: Db;
  projects: Pick<ProjectStore, 'get'>;
  releases: Releases;
  secrets: SecretBox;
  /** Pushes count against the deploy rate limit like every other way to start a build (per project). */
  limiter: Pick<RateLimiter, 'take'>;
  logger: Logger;
  config: Urls;
}

/** Checked when the project or its secret is missing, so that case takes as long as a wrong signature. */
const decoySecret = randomBytes(32).toString('hex');

/** The signature is the credential: no bearer token (git hosts send none). */
const open = { access: 'public' } as const;
const answerSchema = {
  type: 'object',
  properties: {
    action: { type: 'string', enum: ['pong', 'ignored', 'deploy', 'preview', 'stopped'] },
    reason: { type: 'string' },
    deploymentId: { type: 'string' },
    url: { type: 'string' },
    stopped: { type: 'array', items: { type: 'string' } },
  },
  required: ['action'],
  additionalProperties: false,
} as const;

/**
 * `POST /api/hooks/git/:project`: push events from GitHub, GitLab,
 * Gitea/Forgejo or the generic `{ref, sha}` shape, signed with the project's
 * hook secret. A push to the production branch (the project's `ref`, else
 * main) releases it; another branch makes a preview at
 * `<branch>--<project>`; a deleted branch stops its previews.
 */
export const gitHookRoutes: ApiPlugin<GitHookRoutesOptions> = async (app, opts) => {
  const { db, projects, releases, secrets, config, logger, limiter } = opts;
  // This plugin's routes get the raw body: the signature is over the exact bytes.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post(
    '/api/hooks/git/:project',
    {
      config: open,
      schema: {
        params: { type: 'object', properties: { project: { type: 'string', maxLength: 64 } }, required: ['project'] },
        response: { 200: answerSchema, 202: answerSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const raw = request.body;
      if (!Buffer.isBuffer(raw)) throw new BerthError('UNSUPPORTED_MEDIA_TYPE', 'send the event as application/json (in GitHub: content type application/json)');
      const provider = detectProvider(request.headers);
      // An unknown project and a wrong signature look the same from outside.
      const project = await projects.get(request.params.project);
      const secret = project?.hook_secret_sealed ? secrets.open(project.hook_secret_sealed).secret : undefined;
      const signed = verifySignature(provider, request.headers, raw, secret ?? decoySecret);
      if (!project || !secret || !signed) {
        throw new BerthError('UNAUTHORIZED', 'the delivery is not signed with this project\'s hook secret');
      }
      const id = deliveryId(provider, request.headers);
      if (!id) throw new BerthError('VALIDATION_FAILED', 'the delivery has no delivery id header (X-Berth-Delivery for the generic shape)');
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new BerthError('VALIDATION_FAILED', 'the delivery body is not JSON');
      }
      const event = parsePush(provider, request.headers, body);
      // A replay: the same delivery id, or the same signed body under a new id (the id header is not
      // signed). Both are spent only if the delivery is acted on: a host's redelivery after a failure works.
      const ids = [`id:${id}`, `body:${createHash('sha256').update(raw).digest('hex')}`];
      const fresh = await db
        .insertInto('hook_deliveries')
        .values(ids.map((delivery_id) => ({ project: project.name, delivery_id })))
        .onConflict((oc) => oc.doNothing())
        .returning('delivery_id')
        .execute();
      if (fresh.length < ids.length) {
        if (fresh.length > 0) {
          await db.deleteFrom('hook_deliveries').where('project', '=', project.name).where('delivery_id', 'in', fresh.map((f) => f.delivery_id)).execute();
        }
        throw new BerthError('CONFLICT', `delivery ${id} (or the same signed body) was received already`);
      }
      try {
        return await act(project, event, reply);
      } catch (err) {
        await db.deleteFrom('hook_deliveries').where('project', '=', project.name).where('delivery_id', 'in', ids).execute().catch(() => {});
        throw err;
      }
    },
  );

  /** What a verified, first-seen delivery does: release, preview, or stop a deleted branch's previews. */
  async function act(project: ProjectRow, event: PushEvent, reply: FastifyReply) {
    if (event.kind === 'ping') return { action: 'pong' as const };
    if (event.kind === 'ignored') return { action: 'ignored' as const, reason: event.reason };
    assertSafeGitRef(event.branch);
    const production = event.branch === (project.git_ref ?? 'main');
    if (event.kind === 'deleted') {
      if (production) return { action: 'ignored' as const, reason: 'the production branch was deleted; its release keeps running' };
      const stopped = await releases.stopPreviews(project, event.branch);
      logger.info({ project: project.name, branch: event.branch, stopped }, 'branch deleted: its previews stopped');
      return { action: 'stopped' as const, stopped };
    }
    if (!project.git_url) throw new BerthError('CONFLICT', `${project.name} has no gitUrl to build a push from; set it first`);
    await limiter.take(`hook:${project.name}`);
    const row = await releases.deployProject(project, {
      project: project.name,
      source: { type: 'git', gitUrl: project.git_url, ref: event.sha },
      promote: production,
      push: { branch: production ? null : event.branch, commitSha: event.sha, author: event.author, message: event.message },
    });
    logger.info({ project: project.name, branch: event.branch, sha: event.sha, deploymentId: row.id }, 'push received');
    const url = hostUrl(config, production ? project.name : previewLabel(event.branch, project.name));
    return reply.status(202).send({ action: production ? ('deploy' as const) : ('preview' as const), deploymentId: row.id, url });
  }
};
