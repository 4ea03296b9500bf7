import type { LogDrainRow, LogDrainStore } from '@berth/shared/log-drain-store';
import { resolveDrainTarget, type ResolvedDrainTarget } from '@berth/shared/log-drain-target';
import type { LogLine } from '@berth/shared/log-line';
import type { LogStore } from '@berth/shared/log-store';
import type { Logger } from '@berth/shared/logger';
import type { Opened } from '@berth/shared/program-lifecycle';
import { sealedPlace, type SecretBox } from '@berth/shared/secret-box';
import { runEvery } from '../run-every.ts';
import { postDrainBatch } from './https-drain.ts';
import { sendSyslogBatch } from './syslog-sender.ts';
import { syslogBatch, type DrainSource } from './syslog-frame.ts';

export interface DrainDelivererOptions {
  /** This worker (the lease's owner). */
  owner: string;
  /** The syslog HOSTNAME field. */
  instance: string;
  pollMs: number;
  batchLines: number;
  timeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Failures in a row after which a drain shows `paused` (it is still tried, every retryMaxMs at most). */
  pauseAfter: number;
  allowPrivate: boolean;
  allowHttp: boolean;
  /** Certificates a TLS receiver's chain may end in besides the system's (LOG_DRAIN_CA_FILE). */
  ca?: string[] | undefined;
}

/** Batches one drain delivers in one turn before it gives its lease back (the next pass goes on). */
const batchesPerPass = 200;
/** How long one drain's turn may go on (a receiver that takes each batch slowly lets the lease go, then is due again). */
const turnBudgetMs = 60_000;
/** Drains one worker delivers at once. */
const drainsPerPass = 20;

/** What one batch may carry of lines (a batch of long lines escaped into JSON would otherwise be tens of MB). */
const maxBatchBytes = 1024 * 1024;

/** The first lines of `lines` whose text, as JSON escapes it (the larger form), is within maxBatchBytes (at least one). */
export function withinBatchBytes(lines: readonly LogLine[]): LogLine[] {
  let bytes = 0;
  const fits = lines.findIndex((line) => (bytes += Buffer.byteLength(JSON.stringify(line.line))) > maxBatchBytes);
  return fits === -1 ? [...lines] : lines.slice(0, Math.max(1, fits));
}

/** The wait before the next attempt after `failures` failures in a row: doubling from the base, capped. */
export function drainRetryDelay(failures: number, baseMs: number, maxMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, failures - 1), maxMs);
}

type SendBatch = (deploymentId: string, lines: readonly LogLine[]) => Promise<void>;

/**
 * Delivers log drains from Postgres: each pass leases the drains that are due,
 * reads each one's undelivered lines a batch at a time after its cursor, sends
 * a batch, then moves the cursor past it. Lines wait in Postgres, not here;
 * a batch is sent again until its receiver took it (at least once, in seq
 * order per deployment); a failure backs the drain off and, repeated, pauses it.
 */
export class DrainDeliverer {
  /** Drains being delivered now, each on its own: a slow receiver delays no other drain's turn. */
  private readonly delivering = new Map<string, Promise<void>>();
  private readonly closing = new AbortController();

  constructor(
    private readonly deps: {
      drains: Pick<LogDrainStore, 'claimDue' | 'release' | 'recordFailure' | 'pending' | 'advance'>;
      logs: Pick<LogStore, 'read'>;
      secrets: SecretBox;
      logger: Logger;
      options: DrainDelivererOptions;
      /** How a batch goes to a drain's receiver (tests: a fake). */
      senderFor?: (drain: LogDrainRow) => Promise<SendBatch>;
    },
  ) {}

  /** A pass now and every pollMs; closing starts no batch and waits for those being sent. */
  start(opened: Opened): void {
    runEvery('log drain deliverer', this.deps.options.pollMs, () => this.pass(), { opened, logger: this.deps.logger });
    opened('log drain deliveries', async () => {
      this.closing.abort();
      await Promise.all(this.delivering.values());
    });
  }

  /** Claims the due drains this worker has room for and starts each one's turn; returns without waiting for them. */
  async pass(): Promise<void> {
    const { drains, options } = this.deps;
    const room = drainsPerPass - this.delivering.size;
    if (room <= 0 || this.closing.signal.aborted) return;
    for (const drain of await drains.claimDue(options.owner, this.leaseMs(), room)) {
      const turn = this.deliver(drain).finally(() => this.delivering.delete(drain.id));
      this.delivering.set(drain.id, turn);
    }
  }

  /** Every turn under way ended (tests). */
  async settled(): Promise<void> {
    await Promise.all(this.delivering.values());
  }

  private leaseMs(): number {
    return Math.max(30_000, 3 * this.deps.options.timeoutMs);
  }

  private async deliver(drain: LogDrainRow): Promise<void> {
    const { drains, options, logger } = this.deps;
    try {
      const send = await (this.deps.senderFor ?? ((d) => this.senderFor(d)))(drain);
      if (await this.sendPending(drain, send)) await drains.release(drain.id, options.owner);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      const retryInMs = drainRetryDelay(drain.failures + 1, options.retryBaseMs, options.retryMaxMs);
      logger.info({ drainId: drain.id, project: drain.project, failures: drain.failures + 1, error }, 'log drain delivery failed');
      await drains.recordFailure(drain.id, options.owner, { error, retryInMs, pauseAfter: options.pauseAfter });
    }
  }

  /** Sends what is pending, a batch at a time; false when the lease was lost on the way (another worker goes on). */
  private async sendPending(drain: LogDrainRow, send: SendBatch): Promise<boolean> {
    const { drains, logs, options } = this.deps;
    let batches = 0;
    const ends = Date.now() + turnBudgetMs;
    for (const pending of await drains.pending(drain)) {
      let afterSeq = pending.afterSeq;
      for (;;) {
        if (batches++ >= batchesPerPass || Date.now() > ends || this.closing.signal.aborted) return true;
        const read = await logs.read(pending.deploymentId, { afterSeq, limit: options.batchLines });
        if (read.length === 0) break;
        const lines = withinBatchBytes(read);
        await send(pending.deploymentId, lines);
        afterSeq = lines.at(-1)!.seq;
        if (!(await drains.advance(drain.id, options.owner, { deploymentId: pending.deploymentId, lastSeq: afterSeq }, this.leaseMs()))) return false;
        if (lines.length === read.length && read.length < options.batchLines) break;
      }
    }
    return true;
  }

  /** The drain's target checked again (a name may resolve elsewhere now) and how a batch goes to it. */
  private async senderFor(drain: LogDrainRow): Promise<SendBatch> {
    const { secrets, options } = this.deps;
    const target: ResolvedDrainTarget = await resolveDrainTarget(drain.url, { allowHttp: options.allowHttp, allowPrivate: options.allowPrivate });
    const source = (deploymentId: string): DrainSource => ({ project: drain.project, deploymentId, hostname: options.instance });
    const sendOptions = { timeoutMs: options.timeoutMs, ca: options.ca };
    if (target.kind === 'syslog') return (deploymentId, lines) => sendSyslogBatch(target, syslogBatch(lines, source(deploymentId)), sendOptions);
    const secret = secrets.open(drain.secret_sealed!, sealedPlace(drain.project, 'logDrainSecret')).secret!;
    return (deploymentId, lines) => postDrainBatch(target, { drainId: drain.id, secret, lines, source: source(deploymentId) }, sendOptions);
  }
}
