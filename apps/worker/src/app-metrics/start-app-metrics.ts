import { AppMetricStore } from '@berth/shared/app-metrics/metric-samples';
import { RequestMetricStore } from '@berth/shared/app-metrics/request-metric-store';
import type { Opened } from '@berth/shared/program-lifecycle';
import { hostDocker, type PipelineParts } from '../worker-parts.ts';
import { AppMetricsSampler } from './app-metrics-sampler.ts';

/** Samples this host's app containers each APP_METRICS_INTERVAL_MS (one worker per host at a time). */
export function startAppMetricsSampler({ config, db, redis, logger }: PipelineParts, opened: Opened): void {
  const sampler = new AppMetricsSampler({
    docker: hostDocker(),
    redis,
    store: new AppMetricStore(db),
    requests: new RequestMetricStore(db),
    instance: config.BERTH_INSTANCE,
    workerName: config.workerName,
    intervalMs: config.APP_METRICS_INTERVAL_MS,
    retentionDays: config.APP_METRICS_RETENTION_DAYS,
    logger,
  });
  sampler.start();
  opened('app metrics sampler', () => sampler.stop());
}
