import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { createLogger } from '@berth/shared/logger';
import { ProjectStore } from '@berth/shared/project-store';
import { recordWebhookEvent } from '@berth/shared/webhook-outbox';
import { WebhookStore } from '@berth/shared/webhook-store';
import { databaseForFile } from '@berth/testing/database';
import { waitFor } from '@berth/testing/ports';
import { OutboxNotices } from '../../src/webhooks/outbox-notices.ts';

const database = databaseForFile();

it('hears a recorded webhook delivery once its transaction commits (not before), and again after its connection is cut', async () => {
  const { db, url } = database();
  await new ProjectStore(db).create({ name: 'hooked', envSealed: null, buildEnvSealed: null });
  await new WebhookStore(db).create('hooked', { url: 'http://example.invalid/', events: ['deployment.running'], secretSealed: 'x' });
  const record = () => db.transaction().execute((trx) => recordWebhookEvent(trx, 'hooked', 'deployment.running', { id: 'd' }));
  let notices = 0;
  const listener = new OutboxNotices({ databaseUrl: url, onNotice: () => notices++, logger: createLogger('t', 'silent'), reconnectMs: 100 });
  try {
    await listener.start();
    expect(notices).toBe(1); // listening: one sweep for what was recorded before

    await db.transaction().execute(async (trx) => {
      expect(await recordWebhookEvent(trx, 'hooked', 'deployment.running', { id: 'd' })).toBe(1);
      await new Promise((r) => setTimeout(r, 300));
      expect(notices).toBe(1); // not committed yet: a sweep now would not see the row
    });
    await waitFor('the notice of the committed delivery', () => notices === 2, 5000);

    // Postgres restarted, or the connection dropped: it listens again (and sweeps once for the gap).
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query = 'listen webhook_outbox'`.execute(db);
    await waitFor('listening again', () => notices === 3, 5000);
    await record();
    await waitFor('the notice after the reconnect', () => notices === 4, 5000);
  } finally {
    await listener.close();
  }
});
