import type Docker from 'dockerode';
import type { Opened } from '@berth/shared/program-lifecycle';
import { BackupRetention } from '@berth/shared/backup-retention';
import { ServiceStore } from '@berth/shared/service-store';
import type { PipelineParts } from '../worker-parts.ts';
import { ServiceUpkeep } from './service-upkeep.ts';

/**
 * Runs the service upkeep now and every SERVICE_UPKEEP_INTERVAL_MS (docker mode: the API refuses
 * services in swarm mode); closing waits for a run under way.
 */
export function startServiceUpkeep({ config, db, secrets, logger }: PipelineParts, docker: Docker, opened: Opened): void {
  if (config.BERTH_RUNTIME !== 'docker') return;
  const upkeep = new ServiceUpkeep({
    docker,
    services: new ServiceStore(db, secrets),
    backups: new BackupRetention(db),
    limits: {
      instance: config.BERTH_INSTANCE,
      memoryBytes: config.SERVICE_MEMORY_MB * 1024 * 1024,
      nanoCpus: Math.round(config.SERVICE_CPUS * 1e9),
      healthIntervalMs: config.SERVICE_HEALTH_INTERVAL_MS,
    },
    measureIntervalMs: config.VOLUME_MEASURE_INTERVAL_MS,
    logger,
  });
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = upkeep.run().catch((err: unknown) => logger.warn({ err }, 'the service upkeep failed; will retry'));
  };
  tick();
  const timer = setInterval(() => {
    if (!stopped) void running.then(tick);
  }, config.SERVICE_UPKEEP_INTERVAL_MS);
  opened('service upkeep', async () => {
    stopped = true;
    clearInterval(timer);
    await running;
    await upkeep.settle();
  });
}
