import { randomBytes } from 'node:crypto';
import { LogDrainStore } from '@berth/shared/log-drain-store';
import type { Opened } from '@berth/shared/program-lifecycle';
import type { PipelineParts } from '../worker-parts.ts';
import { DrainDeliverer } from './drain-deliverer.ts';
import { drainCertificates } from './log-drain-settings.ts';

/** Delivers the projects' log drains from this worker (each drain by one worker at a time: its lease). */
export function startLogDrains({ config, db, logs, secrets, logger }: PipelineParts, opened: Opened): DrainDeliverer {
  const deliverer = new DrainDeliverer({
    drains: new LogDrainStore(db),
    logs,
    secrets,
    logger,
    options: {
      owner: `${config.workerName}:${randomBytes(4).toString('hex')}`,
      instance: config.BERTH_INSTANCE,
      pollMs: config.LOG_DRAIN_POLL_MS,
      batchLines: config.LOG_DRAIN_BATCH_LINES,
      timeoutMs: config.LOG_DRAIN_TIMEOUT_MS,
      retryBaseMs: config.LOG_DRAIN_RETRY_BASE_MS,
      retryMaxMs: config.LOG_DRAIN_RETRY_MAX_MS,
      pauseAfter: config.LOG_DRAIN_PAUSE_AFTER,
      allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_HOSTS,
      allowHttp: config.LOG_DRAIN_ALLOW_HTTP,
      ca: drainCertificates(config.LOG_DRAIN_CA_FILE),
    },
  });
  deliverer.start(opened);
  return deliverer;
}
