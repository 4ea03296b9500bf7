import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { BerthError } from '@berth/shared/errors';
import type { Logger } from '@berth/shared/logger';
import { onOwnConnection } from '@berth/shared/own-connection';
import { queuePrefix } from '@berth/shared/redis-keys';
import { sealedPlace, type SecretBox } from '@berth/shared/secret-box';
import { berthSignature } from '@berth/shared/webhook-signature';
import type { WebhookStore } from '@berth/shared/webhook-store';
import { resolveWebhookTarget } from '@berth/shared/webhook-target';
import { jobLocks } from '../job-locks.ts';
import { idleDrainDelaySeconds } from '../queue-waits.ts';
import { postPinned, type PostAttempt } from './pinned-post.ts';
import { everySharedTick } from '@berth/shared/shared-ticker';

export const webhookQueueName = 'webhooks';

/** Deliveries queued per outbox transaction. */
const sweepBatch = 200;

export interface WebhookSenderOptions {
  redisUrl: string;
  instance: string;
  /** Deliveries one worker sends at once: a hanging target holds one slot, never a deployment. */
  concurrency: number;
  timeoutMs: number;
  /** Tries per delivery; with `retryBaseMs` doubling up to an hour, 35 tries span about a day. */
  attempts: number;
  retryBaseMs: number;
  /** How often the outbox is swept for deliveries not yet queued (besides on Postgres's notice: outbox-notices.ts). */
  sweepMs: number;
  allowPrivate: boolean;
}

/**
 * Sends outgoing webhooks: sweeps the outbox (deliveries written with the
 * change they report) into a BullMQ queue, and delivers each one: signed,
 * to the address checked against SSRF and pinned, no redirect followed,
 * retried with exponential back-off; every attempt recorded on the delivery.
 */
export class WebhookSender {
  private readonly queue: Queue<{ deliveryId: string }>;
  private readonly worker: Worker<{ deliveryId: string }>;
  private stopSweeping = () => {};
  private sweeping: Promise<void> | undefined;
  /** A sweep asked for while one ran: it runs again once that one is done. */
  private again = false;

  constructor(
    private readonly deps: { webhooks: WebhookStore; secrets: SecretBox; logger: Logger; options: WebhookSenderOptions },
  ) {
    const { options } = deps;
    const prefix = queuePrefix(options.instance);
    this.queue = onOwnConnection(options.redisUrl, (connection) => new Queue(webhookQueueName, { connection, prefix }));
    this.queue.on('error', (err) => deps.logger.warn({ err }, 'webhook queue connection error'));
    // BullMQ's default lock (30 s): a delivery is one bounded HTTP request.
    const locks = jobLocks(30_000, deps.logger);
    this.worker = onOwnConnection(options.redisUrl, (connection) => new Worker(webhookQueueName, locks.wrap((job) => this.deliver(job.data.deliveryId, job.attemptsMade + 1)), {
      connection,
      prefix,
      ...locks.options,
      concurrency: options.concurrency,
      drainDelay: idleDrainDelaySeconds,
      settings: { backoffStrategy: (attemptsMade: number) => Math.min(options.retryBaseMs * 2 ** Math.max(0, attemptsMade - 1), 3_600_000) },
    }));
    this.worker.on('error', (err) => deps.logger.warn({ err }, 'webhook worker error'));
  }

  start(): void {
    this.sweepSoon();
    this.stopSweeping = everySharedTick(this.deps.options.sweepMs, () => this.sweepSoon());
  }

  /** Sweeps now, or right after the sweep under way (deliveries recorded during it may not be in it). */
  sweepSoon(): void {
    if (this.sweeping) {
      this.again = true;
      return;
    }
    this.sweeping = this.sweep()
      .catch((err: unknown) => this.deps.logger.warn({ err }, 'sweeping the webhook outbox failed; will retry'))
      .finally(() => {
        this.sweeping = undefined;
        if (this.again) {
          this.again = false;
          this.sweepSoon();
        }
      });
  }

  async close(): Promise<void> {
    this.stopSweeping();
    this.again = false;
    await this.sweeping;
    await this.worker.close();
    await this.queue.close();
  }

  /** Queues deliveries not yet queued (idempotent: the job id is the delivery id), a batch at a time until none is left. */
  async sweep(): Promise<void> {
    while ((await this.queueBatch()) === sweepBatch);
  }

  private queueBatch(): Promise<number> {
    const { webhooks, options } = this.deps;
    return webhooks.queueUnqueued(sweepBatch, async (ids) => {
      await this.queue.addBulk(
        ids.map((id) => ({
          name: 'deliver',
          data: { deliveryId: id },
          opts: {
            jobId: id,
            attempts: options.attempts,
            backoff: { type: 'custom' },
            removeOnComplete: { age: 24 * 3600, count: 1000 },
            removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
          },
        })),
      );
    });
  }

  private async deliver(deliveryId: string, attempt: number): Promise<void> {
    const { webhooks, secrets, options, logger } = this.deps;
    const row = await webhooks.outgoing(deliveryId);
    if (!row) return; // its webhook was deleted
    const body = JSON.stringify(row.payload);
    let result: PostAttempt;
    let permanent = false;
    try {
      const target = await resolveWebhookTarget(row.url, { allowPrivate: options.allowPrivate });
      const secret = secrets.open(row.secret_sealed, sealedPlace(row.project, 'webhookSecret')).secret!;
      result = await postPinned(target, body, {
        'content-type': 'application/json',
        'user-agent': 'Berth-Webhooks/1',
        'x-berth-event': row.event,
        'x-berth-delivery': row.id,
        'x-berth-signature': berthSignature(secret, body, Math.floor(Date.now() / 1000)),
      }, options.timeoutMs);
    } catch (err) {
      permanent = err instanceof BerthError; // refused target, unreadable secret: another try cannot help
      result = { statusCode: null, error: err instanceof Error ? err.message : String(err), durationMs: 0 };
    }
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const last = ok || permanent || attempt >= options.attempts;
    await webhooks.recordAttempt(deliveryId, { ...result, attempt, status: ok ? 'succeeded' : last ? 'failed' : 'pending' });
    if (ok) return;
    const reason = result.error ?? `answered ${result.statusCode}`;
    logger.info({ deliveryId, attempt, reason }, 'webhook delivery failed');
    if (permanent) throw new UnrecoverableError(reason);
    throw new Error(reason);
  }
}
