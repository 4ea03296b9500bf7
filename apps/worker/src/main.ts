import { runProgram } from '@berth/shared/program-lifecycle';
import { createLogger } from '@berth/shared/logger';
import { loadWorkerConfig } from './config.ts';
import { startWorker } from './worker.ts';

const logger = createLogger('worker');
await runProgram(logger, () => loadWorkerConfig(process.env, (message) => logger.warn(message)), async (config) => {
  // Every line names the worker (several run on one host).
  logger.setBindings({ worker: config.workerName });
  const handle = await startWorker({ config, logger });
  logger.info({ concurrency: config.WORKER_CONCURRENCY, instance: config.BERTH_INSTANCE }, 'worker ready');
  return handle.cleanups;
});
