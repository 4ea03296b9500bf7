import os from 'node:os';
import type { Logger } from '@berth/shared/logger';
import type { WorkerRegistry } from '@berth/shared/worker-registry';
import { everySharedTick } from '@berth/shared/shared-ticker';

/**
 * Tells the registry every period that this worker is alive and what it runs.
 * A heartbeat lives three periods, so a killed worker vanishes from
 * `GET /api/workers` on its own; a stopping one removes itself once its jobs
 * are done or handed back.
 */
export class WorkerHeartbeat {
  private stopTicking = () => {};
  private stopped = false;
  private beating: Promise<void> = Promise.resolve();
  private readonly startedAt = new Date().toISOString();

  constructor(
    private readonly registry: WorkerRegistry,
    private readonly self: { id: string; concurrency: number; running: ReadonlySet<string> },
    private readonly periodMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    const beat = () => {
      this.beating = this.registry
        .beat(
          {
            id: this.self.id,
            host: os.hostname(),
            pid: process.pid,
            concurrency: this.self.concurrency,
            running: [...this.self.running],
            startedAt: this.startedAt,
          },
          this.periodMs * 3,
        )
        .catch((err: unknown) => this.logger.warn({ err }, 'could not write the worker heartbeat; will retry'));
    };
    beat();
    this.stopTicking = everySharedTick(this.periodMs, beat);
  }

  /**
   * Stops beating and leaves the registry. Idempotent, and never holds up a
   * shutdown: if Redis does not answer within a second (it is down, or closed
   * already), the heartbeat's TTL removes the worker instead.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stopTicking();
    await this.beating;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000)));
    await Promise.race([
      this.registry.remove(this.self.id).catch((err: unknown) => this.logger.warn({ err }, 'could not remove the worker heartbeat; it expires on its own')),
      gaveUp,
    ]);
    clearTimeout(timer);
  }
}
