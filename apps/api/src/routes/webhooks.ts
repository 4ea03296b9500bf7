import { randomBytes } from 'node:crypto';
import type { FromSchema } from 'json-schema-to-ts';
import { z } from '@berth/shared/config';
import type { Db } from '@berth/shared/db';
import { BerthError } from '@berth/shared/errors';
import type { ProjectStore } from '@berth/shared/project-store';
import type { SecretBox } from '@berth/shared/secret-box';
import { newDeliveryId, webhookEvents } from '@berth/shared/webhook-outbox';
import { newSigningSecret } from '@berth/shared/webhook-signature';
import { resolveWebhookTarget } from '@berth/shared/webhook-target';
import type { ApiConfig } from '../config.ts';
import { parseBody } from '../deployment-input.ts';
import type { ApiPlugin } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';

export interface WebhookRoutesOptions {
  db: Db;
  projects: Pick<ProjectStore, 'mustGet'>;
  secrets: SecretBox;
  config: Pick<ApiConfig, 'WEBHOOK_ALLOW_PRIVATE_HOSTS'>;
}

const read = { access: 'read' } as const;
const deploy = { access: 'deploy' } as const;
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
    url: { type: 'string' },
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

/** Webhooks one project may have: each one is a delivery row in every status change's transaction. */
const maxWebhooksPerProject = 20;

const createSchema = z
  .object({
    url: z.string().min(1).max(2000),
    events: z.array(z.enum(webhookEvents)).min(1).max(webhookEvents.length),
  })
  .strict();

/** Outgoing webhooks of a project: create (secret shown once), list, delete, deliveries and redelivery. */
export const webhookRoutes: ApiPlugin<WebhookRoutesOptions> = async (app, { db, projects, secrets, config }) => {
  const view = (r: { id: string; project: string; url: string; events: string[]; created_at: Date }): WebhookView => ({
    id: r.id,
    project: r.project,
    url: r.url,
    events: r.events as WebhookView['events'],
    createdAt: r.created_at.toISOString(),
  });
  const load = async (project: string, id: string) => {
    const row = await db.selectFrom('webhooks').selectAll().where('id', '=', id).where('project', '=', project).executeTakeFirst();
    if (!row) throw new BerthError('NOT_FOUND', `project ${project} has no webhook ${id}`);
    return row;
  };

  app.post(
    '/api/projects/:name/webhooks',
    {
      config: deploy,
      schema: {
        params: nameParams,
        body: { type: 'object', properties: { url: { type: 'string' }, events: { type: 'array', items: { type: 'string' } } }, required: ['url', 'events'] },
        response: { 201: webhookViewSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const project = await projects.mustGet(request.params.name);
      const body = parseBody(createSchema, request.body);
      const { n } = await db.selectFrom('webhooks').select((eb) => eb.fn.countAll<string>().as('n')).where('project', '=', project.name).executeTakeFirstOrThrow();
      if (Number(n) >= maxWebhooksPerProject) {
        throw new BerthError('CONFLICT', `${project.name} has ${maxWebhooksPerProject} webhooks already; delete one first`);
      }
      // Checked now, and again before every delivery (a name may resolve elsewhere later).
      await resolveWebhookTarget(body.url, { allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_HOSTS });
      const secret = newSigningSecret('whsec');
      const row = await db
        .insertInto('webhooks')
        .values({ id: `wh_${randomBytes(8).toString('hex')}`, project: project.name, url: body.url, events: [...new Set(body.events)], secret_sealed: secrets.seal({ secret }) })
        .returningAll()
        .executeTakeFirstOrThrow();
      return reply.status(201).send({ ...view(row), secret });
    },
  );

  app.get(
    '/api/projects/:name/webhooks',
    { config: read, schema: { params: nameParams, response: { 200: { type: 'object', properties: { items: { type: 'array', items: webhookViewSchema } }, required: ['items'], additionalProperties: false }, ...errorResponses } } },
    async (request) => {
      const project = await projects.mustGet(request.params.name);
      const rows = await db.selectFrom('webhooks').selectAll().where('project', '=', project.name).orderBy('created_at').execute();
      return { items: rows.map(view) };
    },
  );

  app.delete(
    '/api/projects/:name/webhooks/:id',
    { config: deploy, schema: { params: hookParams, response: { 200: webhookViewSchema, ...errorResponses } } },
    async (request) => {
      const row = await load(request.params.name, request.params.id);
      await db.deleteFrom('webhooks').where('id', '=', row.id).execute();
      return view(row);
    },
  );

  const deliveryView = (d: {
    id: string; event: string; status: 'pending' | 'succeeded' | 'failed'; attempts: number; last_status_code: number | null;
    last_error: string | null; duration_ms: number | null; redelivery_of: string | null; created_at: Date; updated_at: Date;
  }): DeliveryView => ({
    id: d.id,
    event: d.event,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.last_status_code,
    lastError: d.last_error,
    durationMs: d.duration_ms,
    redeliveryOf: d.redelivery_of,
    createdAt: d.created_at.toISOString(),
    updatedAt: d.updated_at.toISOString(),
  });

  app.get(
    '/api/projects/:name/webhooks/:id/deliveries',
    { config: read, schema: { params: hookParams, response: { 200: { type: 'object', properties: { items: { type: 'array', items: deliveryViewSchema } }, required: ['items'], additionalProperties: false }, ...errorResponses } } },
    async (request) => {
      const hook = await load(request.params.name, request.params.id);
      const rows = await db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', hook.id).orderBy('created_at', 'desc').limit(100).execute();
      return { items: rows.map(deliveryView) };
    },
  );

  app.post(
    '/api/projects/:name/webhooks/:id/deliveries/:deliveryId/redeliver',
    { config: deploy, schema: { params: deliveryParams, response: { 202: deliveryViewSchema, ...errorResponses } } },
    async (request, reply) => {
      const hook = await load(request.params.name, request.params.id);
      const original = await db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('id', '=', request.params.deliveryId)
        .where('webhook_id', '=', hook.id)
        .executeTakeFirst();
      if (!original) throw new BerthError('NOT_FOUND', `webhook ${hook.id} has no delivery ${request.params.deliveryId}`);
      // One redelivery of a delivery at a time: a burst of clicks (or a script) cannot pile them up.
      const pending = await db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('redelivery_of', '=', original.id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (pending) throw new BerthError('CONFLICT', `a redelivery of ${original.id} is still under way (${pending.id})`);
      // A new delivery of the same event (its own id, which the payload carries too).
      const id = newDeliveryId();
      const row = await db
        .insertInto('webhook_deliveries')
        .values({
          id,
          webhook_id: hook.id,
          event: original.event,
          payload: JSON.stringify({ ...original.payload, id }),
          redelivery_of: original.id,
          last_status_code: null,
          last_error: null,
          duration_ms: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return reply.status(202).send(deliveryView(row));
    },
  );
};
