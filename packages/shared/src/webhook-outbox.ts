import { randomBytes } from 'node:crypto';
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database, DeploymentRow } from './db.ts';
import { column, jsonbOf, publicDeploymentFields, shapeOf, type PublicField, type ShapeOf } from './deployment-shape.ts';

/** What a project's webhooks may subscribe to. */
export const webhookEvents = [
  'deployment.running',
  'deployment.failed',
  'deployment.canceled',
  'deployment.crashed',
  'deployment.stopped',
  'release.promoted',
  'release.rolled_back',
  /** A scheduled job's run failed (non-zero exit, timeout, no image); data: the run. */
  'job.failed',
  /** A service's backup or restore failed; data: the backup (or restore) as the API shows it. */
  'backup.failed',
] as const;

export type WebhookEvent = (typeof webhookEvents)[number];

/** A delivery id: `whd_` and 20 lowercase alphanumerics (what a receiver deduplicates on). */
export function newDeliveryId(): string {
  return `whd_${randomBytes(15).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 20)}`;
}

/** The event a status change is, if any. */
export function statusEvent(status: DeploymentRow['status']): WebhookEvent | undefined {
  switch (status) {
    case 'running':
      return 'deployment.running';
    case 'failed':
      return 'deployment.failed';
    case 'canceled':
      return 'deployment.canceled';
    case 'crashed':
      return 'deployment.crashed';
    case 'stopped':
      return 'deployment.stopped';
    default:
      return undefined;
  }
}

/** The deployment as a webhook payload shows it: the public fields, and which lane it is in. */
const payloadFields = {
  ...publicDeploymentFields,
  branch: column('branch'),
  preview: { of: (row: DeploymentRow) => !row.promote, sql: 'not promote' },
} satisfies Record<string, PublicField<unknown>>;

export type DeploymentPayload = ShapeOf<typeof payloadFields>;

/** The deployment as a webhook payload shows it (never its env). */
export function deploymentPayload(row: DeploymentRow): DeploymentPayload {
  return shapeOf(payloadFields, row);
}

/** `deploymentPayload` in SQL, over a deployment row's columns (a test compares the two). */
export function deploymentPayloadSql(): RawBuilder<unknown> {
  return jsonbOf(payloadFields);
}

/**
 * The outbox of outgoing webhooks: one delivery row per subscribed webhook,
 * written in the transaction of the change it reports, so a delivery exists
 * exactly when its event happened (a crash between the two cannot lose one).
 * Workers send them (webhook-sender.ts in the worker).
 */
export async function recordWebhookEvent(
  trx: Transaction<Database>,
  project: string,
  event: WebhookEvent,
  data: Record<string, unknown>,
): Promise<number> {
  const hooks = await trx
    .selectFrom('webhooks')
    .select('id')
    .where('project', '=', project)
    .where(sql<boolean>`${event} = any(events)`)
    .execute();
  if (hooks.length === 0) return 0;
  const at = new Date();
  await trx
    .insertInto('webhook_deliveries')
    .values(
      hooks.map((h) => {
        const id = newDeliveryId();
        return { id, webhook_id: h.id, event, payload: JSON.stringify({ id, event, createdAt: at.toISOString(), project, data }), redelivery_of: null, last_status_code: null, last_error: null, duration_ms: null };
      }),
    )
    .execute();
  return hooks.length;
}
