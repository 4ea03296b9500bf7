import type { AuditLog } from './audit-log.ts';

const day = 24 * 3600 * 1000;

/**
 * The audit log's retention (AUDIT_RETENTION_DAYS): rows older than that go,
 * through the database's one allowed delete (AuditLog.prune, which records
 * that it ran). The reaper asks every pass; this prunes at most once a day
 * per worker, so the log is not filled with its own prune records.
 */
export class AuditRetention {
  private lastRun = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly audit: Pick<AuditLog, 'prune'>,
    private readonly keepDays: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Prunes if a day has passed since this worker last did; the rows removed, or undefined when it was not time. */
  async runIfDue(): Promise<number | undefined> {
    if (this.now() - this.lastRun < day) return undefined;
    const removed = await this.audit.prune(this.keepDays);
    this.lastRun = this.now();
    return removed;
  }
}
