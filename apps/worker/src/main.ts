import { ConfigError } from '@berth/shared/config';
import { createDb } from '@berth/shared/db';
import { createLogger } from '@berth/shared/logger';
import { runUntilSignal } from '@berth/shared/lifecycle';
import { loadWorkerConfig } from './config.ts';
import { startWorker } from './worker.ts';

const logger = createLogger('worker');
try {
  const config = loadWorkerConfig(process.env);
  logger.level = config.LOG_LEVEL;
  const db = createDb(config.DATABASE_URL);
  const handle = await startWorker({ config, db, logger });
  logger.info({ concurrency: config.WORKER_CONCURRENCY, instance: config.BERTH_INSTANCE }, 'worker ready');
  runUntilSignal(logger, [
    ['bullmq worker', () => handle.close()],
    ['database', () => db.destroy()],
  ]);
} catch (err) {
  if (err instanceof ConfigError) logger.fatal(err.message);
  else logger.fatal({ err }, 'worker failed to start');
  process.exit(1);
}
