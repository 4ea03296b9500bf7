import type { FromSchema } from 'json-schema-to-ts';
import { z } from '@berth/shared/config';
import type { ProjectStore } from '@berth/shared/project-store';
import type { SecretBox } from '@berth/shared/secret-box';
import { webhookEvents } from '@berth/shared/webhook-outbox';
import type { WebhookDeliveryRow, WebhookRow, WebhookStore } from '@berth/shared/webhook-store';
import { newSigningSecret } from '@berth/shared/webhook-signature';
import { resolveWebhookTarget } from '@berth/shared/webhook-target';
import type { ApiConfig } from '../config.ts';
import { bodyOf, zodBody } from '../zod-body.ts';
import type { ApiInstance, ApiPlugin } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';
import { redactedWebhookUrl, showsSecrets, withoutUrl } from '../secret-view.ts';

export interface WebhookRoutesOptions {
  webhooks: WebhookStore;
  projects: Pick<ProjectStore, 'mustGet'>;
  secrets: SecretBox;
  config: Pick<ApiConfig, 'WEBHOOK_ALLOW_PRIVATE_HOSTS'>;
}

const read = { action: 'project.read', project: 'param' } as const;
const update = { action: 'project.webhooks.update', project: 'param' } as const;
const nameParams = { type: 'object', properties: { name: { type: 'string', maxLength: 64 } }, required: ['name'] } as const;
const hookParams = {
  type: 'object',
  properties: { name: { type: 'string', maxLength: 64 }, id: { type: 'string', maxLength: 64 } },
  required: ['name', 'id'],
} as const;
const deliveryParams = {
  type: 'object',
  properties: { name: { type: 'string', maxLength: 64 }, id: { type: 'string', maxLength: 64 }, deliveryId: { type: 'string', maxLength: 64 } },
  required: ['name', 'id', 'deliveryId'],
} as const;

const webhookViewSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    project: { type: 'string' },
    url: { type: 'string', description: 'shown whole only to callers who may read the project\'s secrets (its admins); others see its origin' },
    events: { type: 'array', items: { type: 'string', enum: webhookEvents } },
    secret: { type: 'string', description: 'only in the answer that created it: it signs every delivery (X-Berth-Signature)' },
    createdAt: { type: 'string' },
  },
  required: ['id', 'project', 'url', 'events', 'createdAt'],
  additionalProperties: false,
} as const;
const deliveryViewSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    event: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'succeeded', 'failed'] },
    attempts: { type: 'integer' },
    lastStatusCode: { type: ['integer', 'null'] },
    lastError: { type: ['string', 'null'] },
    durationMs: { type: ['integer', 'null'] },
    redeliveryOf: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
  required: ['id', 'event', 'status', 'attempts', 'lastStatusCode', 'lastError', 'durationMs', 'redeliveryOf', 'createdAt', 'updatedAt'],
  additionalProperties: false,
} as const;
type WebhookView = FromSchema<typeof webhookViewSchema>;
type DeliveryView = FromSchema<typeof deliveryViewSchema>;

const createSchema = z
  .object({
    url: z.string().min(1).max(2000),
    events: z.array(z.enum(webhookEvents)).min(1).max(webhookEvents.length),
  })
  .strict();
export const webhookCreateBody = zodBody(createSchema);

const listOf = (items: object) => ({ type: 'object', properties: { items: { type: 'array', items } }, required: ['items'], additionalProperties: false }) as const;

/** `secrets`: whether the caller may see the URL (secret-view.ts). */
function webhookView(r: WebhookRow, secrets: boolean): WebhookView {
  return { id: r.id, project: r.project, url: secrets ? r.url : redactedWebhookUrl(r.url), events: r.events as WebhookView['events'], createdAt: r.created_at.toISOString() };
}

function deliveryView(d: WebhookDeliveryRow, hook: WebhookRow, secrets: boolean): DeliveryView {
  return {
    id: d.id,
    event: d.event,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.last_status_code,
    lastError: d.last_error && !secrets ? withoutUrl(d.last_error, hook.url) : d.last_error,
    durationMs: d.duration_ms,
    redeliveryOf: d.redelivery_of,
    createdAt: d.created_at.toISOString(),
    updatedAt: d.updated_at.toISOString(),
  };
}

/** Outgoing webhooks of a project: create (secret shown once), list, delete, deliveries and redelivery. */
export const webhookRoutes: ApiPlugin<WebhookRoutesOptions> = async (app, opts) => {
  hookRoutes(app, opts);
  deliveryRoutes(app, opts);
};

function hookRoutes(app: ApiInstance, { webhooks, projects, secrets, config }: WebhookRoutesOptions): void {
  app.post(
    '/api/projects/:name/webhooks',
    {
      config: update,
      schema: {
        params: nameParams,
        body: webhookCreateBody,
        response: { 201: webhookViewSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const project = await projects.mustGet(request.params.name);
      const body = bodyOf(createSchema, request);
      await webhooks.assertRoom(project.name);
      // Checked now, and again before every delivery (a name may resolve elsewhere later).
      await resolveWebhookTarget(body.url, { allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_HOSTS });
      const secret = newSigningSecret('whsec');
      const row = await webhooks.create(project.name, { url: body.url, events: body.events, secretSealed: secrets.seal({ secret }) });
      return reply.status(201).send({ ...webhookView(row, showsSecrets(request, project.name)), secret });
    },
  );

  app.get(
    '/api/projects/:name/webhooks',
    { config: read, schema: { params: nameParams, response: { 200: listOf(webhookViewSchema), ...errorResponses } } },
    async (request) => {
      const project = await projects.mustGet(request.params.name);
      const secrets = showsSecrets(request, project.name);
      return { items: (await webhooks.list(project.name)).map((row) => webhookView(row, secrets)) };
    },
  );

  app.delete(
    '/api/projects/:name/webhooks/:id',
    { config: update, schema: { params: hookParams, response: { 200: webhookViewSchema, ...errorResponses } } },
    async (request) => {
      const row = await webhooks.mustGet(request.params.name, request.params.id);
      await webhooks.delete(row.id);
      return webhookView(row, showsSecrets(request, row.project));
    },
  );
}

function deliveryRoutes(app: ApiInstance, { webhooks }: WebhookRoutesOptions): void {
  app.get(
    '/api/projects/:name/webhooks/:id/deliveries',
    { config: read, schema: { params: hookParams, response: { 200: listOf(deliveryViewSchema), ...errorResponses } } },
    async (request) => {
      const hook = await webhooks.mustGet(request.params.name, request.params.id);
      const secrets = showsSecrets(request, hook.project);
      return { items: (await webhooks.deliveries(hook.id)).map((d) => deliveryView(d, hook, secrets)) };
    },
  );

  app.post(
    '/api/projects/:name/webhooks/:id/deliveries/:deliveryId/redeliver',
    { config: update, schema: { params: deliveryParams, response: { 202: deliveryViewSchema, ...errorResponses } } },
    async (request, reply) => {
      const hook = await webhooks.mustGet(request.params.name, request.params.id);
      return reply.status(202).send(deliveryView(await webhooks.redeliver(hook.id, request.params.deliveryId), hook, showsSecrets(request, hook.project)));
    },
  );
}
