import { BackupFiles } from '@berth/shared/backup-files';
import { BackupStore } from '@berth/shared/backup-store';
import type { Db } from '@berth/shared/db';
import type { SecretBox } from '@berth/shared/secret-box';
import { JobStore } from '@berth/shared/job-store';
import { RunLogStore } from '@berth/shared/run-log-store';
import { RunStore } from '@berth/shared/run-store';
import { ServiceStore } from '@berth/shared/service-store';
import { BackupQueue } from './backup-queue.ts';
import type { ApiConfig } from './config.ts';
import { backupScheduleRoutes } from './routes/backup-schedule.ts';
import { backupRoutes } from './routes/backups.ts';
import type { EventRelay } from './event-relay.ts';
import type { ApiInstance } from './routes/api-plugin.ts';
import { jobRoutes, jobRunRoutes } from './routes/jobs.ts';
import { runLogRoutes, runRoutes } from './routes/runs.ts';
import { RunQueue } from './run-queue.ts';
import type { OpenStreams } from './sse/open-streams.ts';

/** One-off runs and scheduled jobs: their stores, the runs queue (closed with the app), their routes. */
export async function registerRunRoutes(
  api: ApiInstance,
  deps: { db: Db; config: ApiConfig; relay: EventRelay; streams: OpenStreams },
): Promise<void> {
  const { db, config } = deps;
  const queue = new RunQueue(config.REDIS_URL, config.BERTH_INSTANCE, config.QUEUE_TIMEOUT_MS);
  api.addHook('onClose', async () => queue.close());
  const runs = new RunStore(db);
  const runOptions = { runs, runLogs: new RunLogStore(db), queue, relay: deps.relay, streams: deps.streams, config };
  await api.register(runRoutes, runOptions);
  await api.register(runLogRoutes, runOptions);
  const jobOptions = { jobs: new JobStore(db), runs, queue, config };
  await api.register(jobRoutes, jobOptions);
  await api.register(jobRunRoutes, jobOptions);
}

/** Service backups and restores: their store, the backups queue (closed with the app), their routes. */
export async function registerBackupRoutes(api: ApiInstance, deps: { db: Db; config: ApiConfig; secrets: SecretBox }): Promise<void> {
  const queue = new BackupQueue(deps.config.REDIS_URL, deps.config.BERTH_INSTANCE, deps.config.QUEUE_TIMEOUT_MS);
  api.addHook('onClose', async () => queue.close());
  const backups = new BackupStore(deps.db);
  const services = new ServiceStore(deps.db, deps.secrets);
  await api.register(backupRoutes, { backups, queue, files: new BackupFiles(deps.config.BACKUP_DIR), secrets: deps.secrets, services, config: deps.config });
  await api.register(backupScheduleRoutes, { backups, queue, minIntervalMs: deps.config.BACKUP_MIN_INTERVAL_MS });
}
