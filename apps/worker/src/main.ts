import { createDb } from '@berth/shared/db';
import { runProgram } from '@berth/shared/lifecycle';
import { createLogger } from '@berth/shared/logger';
import { loadWorkerConfig } from './config.ts';
import { startWorker } from './worker.ts';

const logger = createLogger('worker');
await runProgram(logger, () => loadWorkerConfig(process.env), async (config) => {
  const db = createDb(config.DATABASE_URL);
  const handle = await startWorker({ config, db, logger });
  logger.info({ concurrency: config.WORKER_CONCURRENCY, instance: config.BERTH_INSTANCE }, 'worker ready');
  return [
    ['bullmq worker', () => handle.close()],
    ['database', () => db.destroy()],
  ];
});
