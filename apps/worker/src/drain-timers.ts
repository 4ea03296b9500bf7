import type { Logger } from '@berth/shared/logger';

/**
 * Stops a retired release once its drain period is over: one timer per
 * retirement, which runs the reaper's (level-triggered) check. The reaper's
 * periodic run does the same if this worker dies meanwhile.
 */
export class DrainTimers {
  private readonly timers = new Set<NodeJS.Timeout>();
  constructor(
    private readonly drainMs: number,
    private readonly retire: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  schedule(): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.retire().catch((err: unknown) => this.logger.warn({ err }, 'stopping drained releases failed; the reaper retries'));
    }, this.drainMs + 50);
    this.timers.add(timer);
  }

  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
