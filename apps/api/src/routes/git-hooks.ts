import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import type { ProjectRow } from '@berth/shared/db';
import type { HookDeliveryStore } from '@berth/shared/hook-delivery-store';
import type { RateLimiter } from '../rate-limiter.ts';
import type { StrangerThrottle } from '../access/stranger-throttle.ts';
import { BerthError } from '@berth/shared/errors';
import { assertSafeGitRef } from '@berth/shared/git-url';
import type { Logger } from '@berth/shared/logger';
import type { ProjectStore } from '@berth/shared/project-store';
import { sealedPlace, type SecretBox } from '@berth/shared/secret-box';
import { previewLabel } from '@berth/shared/branch-slug';
import { touchesWatchPaths } from '@berth/shared/watch-paths';
import { hostUrl, type Urls } from '../deployment-view.ts';
import { deliveryId, detectProvider, parsePush, verifySignature, type PushEvent } from '../git-push.ts';
import type { Releases } from '../releases.ts';
import type { ApiPlugin } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';

export interface GitHookRoutesOptions {
  hookDeliveries: HookDeliveryStore;
  projects: Pick<ProjectStore, 'get' | 'recordSkippedPush'>;
  releases: Releases;
  secrets: SecretBox;
  /** Deliveries per client address, counted before the project is read (an open door: no credential). */
  strangers?: Pick<StrangerThrottle, 'count'> | undefined;
  /** Pushes count against the deploy rate limit like every other way to start a build (per project). */
  limiter: Pick<RateLimiter, 'take'>;
  logger: Logger;
  config: Urls;
}

/** Checked when the project or its secret is missing, so that case takes as long as a wrong signature. */
const decoySecret = randomBytes(32).toString('hex');

/** The signature is the credential: no bearer token (git hosts send none). */
const open = { action: 'public' } as const;
const answerSchema = {
  type: 'object',
  properties: {
    action: { type: 'string', enum: ['pong', 'ignored', 'skipped', 'deploy', 'preview', 'stopped'] },
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
      await opts.strangers?.count(request);
      const { project, event, id, keys } = await verifiedDelivery(opts, request.params.project, request.headers, request.body);
      // Spent only if the delivery is acted on: a host's redelivery after a failure works.
      if (!(await opts.hookDeliveries.claim(project.name, keys))) {
        throw new BerthError('CONFLICT', `delivery ${id} (or the same signed body) was received already`);
      }
      try {
        return await act(opts, project, event, reply);
      } catch (err) {
        await opts.hookDeliveries.release(project.name, keys).catch(() => {});
        throw err;
      }
    },
  );
};

/**
 * The delivery, once its signature is checked with the project's hook secret;
 * `keys` are what a replay would repeat: the same delivery id, or the same
 * signed body under a new id (the id header is not signed).
 */
async function verifiedDelivery(
  { projects, secrets }: GitHookRoutesOptions,
  projectName: string,
  headers: IncomingHttpHeaders,
  raw: unknown,
): Promise<{ project: ProjectRow; event: PushEvent; id: string; keys: string[] }> {
  if (!Buffer.isBuffer(raw)) throw new BerthError('UNSUPPORTED_MEDIA_TYPE', 'send the event as application/json (in GitHub: content type application/json)');
  const provider = detectProvider(headers);
  // An unknown project and a wrong signature look the same from outside.
  const project = await projects.get(projectName);
  const secret = project?.hook_secret_sealed ? secrets.open(project.hook_secret_sealed, sealedPlace(project.name, 'hookSecret')).secret : undefined;
  const signed = verifySignature(provider, headers, raw, secret ?? decoySecret);
  if (!project || !secret || !signed) {
    throw new BerthError('UNAUTHORIZED', 'the delivery is not signed with this project\'s hook secret');
  }
  const id = deliveryId(provider, headers);
  if (!id) throw new BerthError('VALIDATION_FAILED', 'the delivery has no delivery id header (X-Berth-Delivery for the generic shape)');
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new BerthError('VALIDATION_FAILED', 'the delivery body is not JSON');
  }
  const event = parsePush(provider, headers, body);
  return { project, event, id, keys: [`id:${id}`, `body:${createHash('sha256').update(raw).digest('hex')}`] };
}

/** What a verified, first-seen delivery does: release, preview, or stop a deleted branch's previews. */
async function act({ releases, limiter, logger, config, projects }: GitHookRoutesOptions, project: ProjectRow, event: PushEvent, reply: FastifyReply) {
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
  if (project.watch_paths && event.changedFiles && !touchesWatchPaths(project.watch_paths, event.changedFiles)) {
    const reason = `none of the ${event.changedFiles.length} changed files matches watchPaths (${project.watch_paths.join(', ')})`;
    await projects.recordSkippedPush(project.name, { sha: event.sha, branch: event.branch, at: new Date().toISOString(), reason });
    logger.info({ project: project.name, branch: event.branch, sha: event.sha }, 'push skipped: no watched path changed');
    return { action: 'skipped' as const, reason };
  }
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
