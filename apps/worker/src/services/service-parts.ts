import type Docker from 'dockerode';
import type { Opened } from '@berth/shared/program-lifecycle';
import { BackupRetention } from '@berth/shared/backup-retention';
import { ServiceStore } from '@berth/shared/service-store';
import type { PipelineParts } from '../worker-parts.ts';
import { runEvery } from '../run-every.ts';
import { ServiceUpkeep } from './service-upkeep.ts';

/**
 * Runs the service upkeep now and every SERVICE_UPKEEP_INTERVAL_MS (docker mode: the API refuses
 * services in swarm mode); closing waits for a run under way, and a volume measurement.
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
  opened('service volume measurement', () => upkeep.settle()); // closed after the upkeep (the reverse order)
  runEvery('service upkeep', config.SERVICE_UPKEEP_INTERVAL_MS, () => upkeep.run(), { opened, logger });
}
