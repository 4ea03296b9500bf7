import { AppMetricStore } from '@berth/shared/app-metrics/metric-samples';
import { MetricRollups } from '@berth/shared/app-metrics/metric-rollups';
import type { Opened } from '@berth/shared/program-lifecycle';
import { hostDocker, type PipelineParts } from '../worker-parts.ts';
import { AppMetricsSampler } from './app-metrics-sampler.ts';
import { everySharedTick } from '@berth/shared/shared-ticker';

/** How often a worker tries a downsampling pass (one worker at a time does it; a pass moves up to an hour of rows). */
const rollupEveryMs = 60_000;

/**
 * Samples this host's app containers each APP_METRICS_INTERVAL_MS (one worker
 * per host at a time), and downsamples and prunes app metrics (samples and
 * router-sync's request rows) every minute (one worker at a time).
 */
export function startAppMetricsSampler({ config, db, redis, logger }: PipelineParts, opened: Opened): void {
  const sampler = new AppMetricsSampler({
    docker: hostDocker(),
    redis,
    store: new AppMetricStore(db),
    instance: config.BERTH_INSTANCE,
    workerName: config.workerName,
    intervalMs: config.APP_METRICS_INTERVAL_MS,
    logger,
  });
  sampler.start();
  opened('app metrics sampler', () => sampler.stop());

  const rollups = new MetricRollups(db);
  let rolling: Promise<void> = Promise.resolve();
  const stopTicking = everySharedTick(rollupEveryMs, () => {
    rolling = rollups.run(new Date(), config.APP_METRICS_RETENTION_DAYS).then(
      (pass) => {
        if (pass && pass.samplesRolled + pass.requestRowsRolled + pass.pruned > 0) logger.debug(pass, 'app metrics downsampled');
      },
      (err: unknown) => logger.warn({ err }, 'downsampling app metrics failed; will try again'),
    );
  });
  opened('app metrics rollups', async () => {
    stopTicking();
    await rolling;
  });
}
