import os from 'node:os';
import type { Logger } from '@berth/shared/logger';
import type { WorkerRegistry } from '@berth/shared/worker-registry';

/**
 * Tells the registry every period that this worker is alive and what it runs.
 * A heartbeat lives three periods, so a killed worker vanishes from
 * `GET /api/workers` on its own; a stopping one removes itself once its jobs
 * are done or handed back.
 */
export class WorkerHeartbeat {
  private timer: NodeJS.Timeout | undefined;
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
    this.timer = setInterval(beat, this.periodMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.beating;
    await this.registry.remove(this.self.id);
  }
}
