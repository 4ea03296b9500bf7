import type { RouterMetrics } from '@berth/shared/metrics';
import type { CaddyAdmin } from './caddy-admin.ts';

/** Counts and times every configuration load (by result); reads pass through. */
export class MeteredCaddyAdmin implements CaddyAdmin {
  constructor(
    private readonly inner: CaddyAdmin,
    private readonly metrics: RouterMetrics,
  ) {}

  async load(config: unknown): Promise<void> {
    const end = this.metrics.caddyLoadDuration.startTimer();
    try {
      await this.inner.load(config);
      this.metrics.caddyLoads.inc({ result: 'ok' });
    } catch (err) {
      this.metrics.caddyLoads.inc({ result: 'error' });
      throw err;
    } finally {
      end();
    }
  }

  current(): Promise<unknown> {
    return this.inner.current();
  }
}
