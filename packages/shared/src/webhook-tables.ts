import type { ColumnType, Generated } from 'kysely';

// The tables of hooks received (pushes) and webhooks sent, as Kysely sees them (db.ts).

export interface HookDeliveriesTable {
  project: string;
  delivery_id: string;
  received_at: Generated<Date>;
}

export interface WebhooksTable {
  id: string;
  project: string;
  url: string;
  events: string[];
  secret_sealed: string;
  created_at: Generated<Date>;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  status: ColumnType<'pending' | 'succeeded' | 'failed', 'pending' | 'succeeded' | 'failed' | undefined, 'pending' | 'succeeded' | 'failed'>;
  enqueued: ColumnType<boolean, boolean | undefined, boolean>;
  attempts: ColumnType<number, number | undefined, number>;
  last_status_code: number | null;
  last_error: string | null;
  duration_ms: number | null;
  redelivery_of: string | null;
  created_at: Generated<Date>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}
