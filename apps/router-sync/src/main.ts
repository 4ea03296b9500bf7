import Docker from 'dockerode';
import { createDb } from '@berth/shared/db';
import { RoutingStore } from '@berth/shared/routing-store';
import { runProgram } from '@berth/shared/lifecycle';
import { createLogger } from '@berth/shared/logger';
import { createRedis } from '@berth/shared/redis';
import { HttpCaddyAdmin } from './caddy-admin.ts';
import { loadRouterSyncConfig } from './config.ts';
import { readRoutingState } from './route-state.ts';
import { RouterSync } from './router-sync.ts';

const logger = createLogger('router-sync');
await runProgram(logger, () => loadRouterSyncConfig(process.env), async (config) => {
  const db = createDb(config.DATABASE_URL, { max: 2 });
  const store = new RoutingStore(db);
  const docker = new Docker();
  const sync = new RouterSync({
    config,
    docker,
    logger,
    caddy: new HttpCaddyAdmin(config.CADDY_ADMIN_URL),
    subscriber: createRedis(config.REDIS_URL),
    readState: () => readRoutingState(docker, store, { instance: config.BERTH_INSTANCE, network: config.network }),
  });
  await sync.start();
  logger.info({ caddy: config.CADDY_ADMIN_URL, listen: config.CADDY_HTTP_LISTEN }, 'router-sync ready');
  return [
    ['reconciler', () => sync.stop()],
    ['database', () => db.destroy()],
  ];
});
