import type { FromSchema } from 'json-schema-to-ts';
import { z } from '@berth/shared/config';
import type { LogDrainRow, LogDrainStore } from '@berth/shared/log-drain-store';
import { resolveDrainTarget } from '@berth/shared/log-drain-target';
import type { ProjectStore } from '@berth/shared/project-store';
import { sealedPlace, type SecretBox } from '@berth/shared/secret-box';
import { newSigningSecret } from '@berth/shared/webhook-signature';
import type { ApiConfig } from '../config.ts';
import { bodyOf, zodBody } from '../zod-body.ts';
import type { ApiPlugin } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';
import { redactedDrainUrl, showsSecrets, withoutUrl } from '../secret-view.ts';

export interface DrainRoutesOptions {
  drains: LogDrainStore;
  projects: Pick<ProjectStore, 'mustGet'>;
  secrets: SecretBox;
  config: Pick<ApiConfig, 'WEBHOOK_ALLOW_PRIVATE_HOSTS' | 'LOG_DRAIN_ALLOW_HTTP'>;
}

const read = { action: 'project.read', project: 'param' } as const;
const update = { action: 'project.drains.update', project: 'param' } as const;
const nameParams = { type: 'object', properties: { name: { type: 'string', maxLength: 64 } }, required: ['name'] } as const;
const drainParams = {
  type: 'object',
  properties: { name: { type: 'string', maxLength: 64 }, id: { type: 'string', maxLength: 64 } },
  required: ['name', 'id'],
} as const;

const drainViewSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    project: { type: 'string' },
    url: { type: 'string', description: "an https URL is shown whole only to callers who may read the project's secrets (its admins); others see its origin" },
    kind: { type: 'string', enum: ['syslog', 'https'] },
    status: { type: 'string', enum: ['active', 'paused'], description: 'paused: LOG_DRAIN_PAUSE_AFTER batches in a row failed; still tried, and a delivered batch makes it active again' },
    failures: { type: 'integer', description: 'failed batches in a row' },
    lastError: { type: ['string', 'null'] },
    retryAt: { type: ['string', 'null'], description: 'no attempt before this (the back-off after a failure)' },
    deliveredAt: { type: ['string', 'null'], description: 'when a batch was last delivered' },
    secret: { type: 'string', description: 'https drains, only in the answer that created it: it signs every batch (X-Berth-Signature)' },
    createdAt: { type: 'string' },
  },
  required: ['id', 'project', 'url', 'kind', 'status', 'failures', 'lastError', 'retryAt', 'deliveredAt', 'createdAt'],
  additionalProperties: false,
} as const;
type DrainView = FromSchema<typeof drainViewSchema>;

const createSchema = z.object({ url: z.string().min(1).max(2000) }).strict();
export const drainCreateBody = zodBody(createSchema);

const listSchema = { type: 'object', properties: { items: { type: 'array', items: drainViewSchema } }, required: ['items'], additionalProperties: false } as const;

/** `secrets`: whether the caller may see an https drain's whole URL (secret-view.ts). */
function drainView(r: LogDrainRow, secrets: boolean): DrainView {
  const kind = r.url.startsWith('syslog+') ? 'syslog' : 'https';
  return {
    id: r.id,
    project: r.project,
    url: secrets ? r.url : redactedDrainUrl(r.url),
    kind,
    status: r.status,
    failures: r.failures,
    lastError: r.last_error && !secrets ? withoutUrl(r.last_error, r.url, redactedDrainUrl) : r.last_error,
    retryAt: r.retry_at?.toISOString() ?? null,
    deliveredAt: r.delivered_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  };
}

/** A project's log drains: add (an https drain's secret shown once), list, remove, resume now. */
export const drainRoutes: ApiPlugin<DrainRoutesOptions> = async (app, { drains, projects, secrets, config }) => {
  app.post(
    '/api/projects/:name/drains',
    { config: update, schema: { params: nameParams, body: drainCreateBody, response: { 201: drainViewSchema, ...errorResponses } } },
    async (request, reply) => {
      const project = await projects.mustGet(request.params.name);
      const { url } = bodyOf(createSchema, request);
      // Checked now, and again before every batch (a name may resolve elsewhere later).
      const target = await resolveDrainTarget(url, { allowHttp: config.LOG_DRAIN_ALLOW_HTTP, allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_HOSTS });
      await drains.assertRoom(project.name);
      const secret = target.kind === 'https' ? newSigningSecret('whsec') : undefined;
      const secretSealed = secret ? secrets.seal({ secret }, sealedPlace(project.name, 'logDrainSecret')) : null;
      const row = await drains.create(project.name, { url, secretSealed });
      return reply.status(201).send({ ...drainView(row, showsSecrets(request, project.name)), ...(secret ? { secret } : {}) });
    },
  );

  app.get('/api/projects/:name/drains', { config: read, schema: { params: nameParams, response: { 200: listSchema, ...errorResponses } } }, async (request) => {
    const project = await projects.mustGet(request.params.name);
    const shows = showsSecrets(request, project.name);
    return { items: (await drains.list(project.name)).map((row) => drainView(row, shows)) };
  });

  app.delete(
    '/api/projects/:name/drains/:id',
    { config: update, schema: { params: drainParams, response: { 200: drainViewSchema, ...errorResponses } } },
    async (request) => {
      const row = await drains.mustGet(request.params.name, request.params.id);
      await drains.delete(row.id);
      return drainView(row, showsSecrets(request, row.project));
    },
  );

  app.post(
    '/api/projects/:name/drains/:id/resume',
    { config: update, schema: { params: drainParams, response: { 202: drainViewSchema, ...errorResponses } } },
    async (request, reply) => {
      const row = await drains.mustGet(request.params.name, request.params.id);
      await drains.retryNow(row.id);
      return reply.status(202).send(drainView({ ...row, retry_at: null }, showsSecrets(request, row.project)));
    },
  );
};
