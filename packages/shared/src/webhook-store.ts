import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db, WebhookDeliveriesTable, WebhooksTable } from './db.ts';
import { BerthError } from './errors.ts';
import { newDeliveryId, type WebhookEvent } from './webhook-outbox.ts';

export type WebhookRow = Selectable<WebhooksTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;

/** A delivery as the sender needs it: what to send, where, signed with which secret. */
export interface OutgoingDelivery {
  id: string;
  event: string;
  payload: Record<string, unknown>;
  url: string;
  /** The webhook's project: its secret is sealed for it. */
  project: string;
  secret_sealed: string;
}

/** What one attempt at a delivery came to. */
export interface DeliveryAttempt {
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  status: 'pending' | 'succeeded' | 'failed';
}

/** Webhooks one project may have: each one is a delivery row in every status change's transaction. */
export const maxWebhooksPerProject = 20;

/**
 * A project's outgoing webhooks and their deliveries: what the API's webhook
 * routes manage and the worker's sender sends. Deliveries are written by the
 * outbox (webhook-outbox.ts) in the transaction of the change they report.
 */
export class WebhookStore {
  constructor(private readonly db: Db) {}

  /** A new webhook. The caller checks first that there is room (`assertRoom`) and that its URL may be a target. */
  async create(project: string, hook: { url: string; events: WebhookEvent[]; secretSealed: string }): Promise<WebhookRow> {
    return this.db
      .insertInto('webhooks')
      .values({ id: `wh_${randomBytes(8).toString('hex')}`, project, url: hook.url, events: [...new Set(hook.events)], secret_sealed: hook.secretSealed })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** CONFLICT when the project has its maximum of webhooks. */
  async assertRoom(project: string): Promise<void> {
    const { n } = await this.db
      .selectFrom('webhooks')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('project', '=', project)
      .executeTakeFirstOrThrow();
    if (Number(n) >= maxWebhooksPerProject) {
      throw new BerthError('CONFLICT', `${project} has ${maxWebhooksPerProject} webhooks already; delete one first`);
    }
  }

  async list(project: string): Promise<WebhookRow[]> {
    return this.db.selectFrom('webhooks').selectAll().where('project', '=', project).orderBy('created_at').execute();
  }

  /** The project's webhook; NOT_FOUND when it has none of that id. */
  async mustGet(project: string, id: string): Promise<WebhookRow> {
    const row = await this.db.selectFrom('webhooks').selectAll().where('id', '=', id).where('project', '=', project).executeTakeFirst();
    if (!row) throw new BerthError('NOT_FOUND', `project ${project} has no webhook ${id}`);
    return row;
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('webhooks').where('id', '=', id).execute();
  }

  /** A webhook's newest deliveries. */
  async deliveries(webhookId: string, limit = 100): Promise<WebhookDeliveryRow[]> {
    return this.db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).orderBy('created_at', 'desc').limit(limit).execute();
  }

  /**
   * A new delivery of a delivery's event (its own id, which the payload
   * carries too). One redelivery of a delivery at a time: a burst of clicks
   * (or a script) cannot pile them up.
   */
  async redeliver(webhookId: string, deliveryId: string): Promise<WebhookDeliveryRow> {
    const original = await this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', deliveryId)
      .where('webhook_id', '=', webhookId)
      .executeTakeFirst();
    if (!original) throw new BerthError('NOT_FOUND', `webhook ${webhookId} has no delivery ${deliveryId}`);
    const pending = await this.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('redelivery_of', '=', original.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (pending) throw new BerthError('CONFLICT', `a redelivery of ${original.id} is still under way (${pending.id})`);
    const id = newDeliveryId();
    return this.db
      .insertInto('webhook_deliveries')
      .values({
        id,
        webhook_id: webhookId,
        event: original.event,
        payload: JSON.stringify({ ...original.payload, id }),
        redelivery_of: original.id,
        last_status_code: null,
        last_error: null,
        duration_ms: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /**
   * Hands up to 200 deliveries not yet queued to `enqueue`, and marks them
   * queued in the same transaction (rows locked, skipping those another
   * worker holds; `enqueue` must be idempotent). With none waiting, that is one
   * statement, not a transaction's three round trips: the timed sweep runs every
   * few seconds on every worker, nearly always for nothing.
   */
  async queueUnqueued(limit: number, enqueue: (ids: string[]) => Promise<void>): Promise<number> {
    const waiting = await this.db.selectFrom('webhook_deliveries').select('id').where('enqueued', '=', false).limit(1).executeTakeFirst();
    if (!waiting) return 0;
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('enqueued', '=', false)
        .orderBy('created_at')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute();
      if (rows.length === 0) return 0;
      await enqueue(rows.map((r) => r.id));
      await trx.updateTable('webhook_deliveries').set({ enqueued: true }).where('id', 'in', rows.map((r) => r.id)).execute();
      return rows.length;
    });
  }

  /** A delivery with its webhook's URL and secret; undefined once the webhook was deleted. */
  async outgoing(deliveryId: string): Promise<OutgoingDelivery | undefined> {
    return this.db
      .selectFrom('webhook_deliveries')
      .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
      .select(['webhook_deliveries.id', 'webhook_deliveries.event', 'webhook_deliveries.payload', 'webhooks.url', 'webhooks.project', 'webhooks.secret_sealed'])
      .where('webhook_deliveries.id', '=', deliveryId)
      .executeTakeFirst();
  }

  async recordAttempt(deliveryId: string, a: DeliveryAttempt): Promise<void> {
    await this.db
      .updateTable('webhook_deliveries')
      .set({
        attempts: a.attempt,
        last_status_code: a.statusCode,
        last_error: a.error,
        duration_ms: Math.round(a.durationMs),
        status: a.status,
        updated_at: new Date(),
      })
      .where('id', '=', deliveryId)
      .execute();
  }
}
