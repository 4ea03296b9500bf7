import pg from 'pg';
import type { Logger } from '@berth/shared/logger';

/** The channel migration 0023's trigger notifies when webhook deliveries are recorded. */
export const outboxChannel = 'webhook_outbox';

/**
 * Listens for Postgres's notice that webhook deliveries were recorded, on a
 * connection of its own (LISTEN holds one), and calls `onNotice` for each.
 * A lost connection is opened again after `reconnectMs`, and `onNotice` is
 * called once it listens again: what was recorded meanwhile is swept too.
 */
export class OutboxNotices {
  private client: pg.Client | undefined;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: { databaseUrl: string; onNotice: () => void; logger: Logger; reconnectMs?: number },
  ) {}

  /** Resolves once listening, or once the first try failed (it keeps trying). */
  async start(): Promise<void> {
    await this.listen();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.client?.end().catch(() => {});
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.deps.databaseUrl });
    this.client = client;
    let lost = false;
    const onLost = (err?: Error) => {
      if (lost || this.closed) return;
      lost = true;
      this.deps.logger.warn({ err }, 'lost the webhook outbox notices; listening again soon (the timed sweep covers the gap)');
      void client.end().catch(() => {});
      this.retry = setTimeout(() => void this.listen(), this.deps.reconnectMs ?? 1000);
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', () => this.deps.onNotice());
    try {
      await client.connect();
      await client.query(`listen ${outboxChannel}`);
      if (this.closed) await client.end();
      else this.deps.onNotice();
    } catch (err) {
      onLost(err as Error);
    }
  }
}
