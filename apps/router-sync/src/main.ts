import { runProgram } from '@berth/shared/program-lifecycle';
import { createLogger } from '@berth/shared/logger';
import { loadRouterSyncConfig } from './config.ts';
import { startRouterSync } from './start-router-sync.ts';

const logger = createLogger('router-sync');
await runProgram(logger, () => loadRouterSyncConfig(process.env), async (config) => {
  const handle = await startRouterSync(config, logger);
  logger.info({ caddy: config.CADDY_ADMIN_URL, listen: config.CADDY_HTTP_LISTEN }, 'router-sync ready');
  return handle.cleanups;
});
