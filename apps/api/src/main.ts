import { createDb } from '@berth/shared/db';
import { DeploymentStore } from '@berth/shared/deployment-store';
import { runProgram } from '@berth/shared/lifecycle';
import { createLogger } from '@berth/shared/logger';
import { createRedis } from '@berth/shared/redis';
import { TokenStore } from '@berth/shared/token-store';
import { RedisStatusPublisher } from '@berth/shared/status-publisher';
import { RedisControlPublisher } from '@berth/shared/control-messages';
import { DeploymentLifecycle, noRetry } from '@berth/shared/deployment-lifecycle';
import { buildApp } from './app.ts';
import { loadApiConfig } from './config.ts';
import { BullDeploymentQueue } from './deployment-queue.ts';
import { LogRelay } from './log-relay.ts';
import { bootstrapAdminToken } from './admin-token.ts';

const logger = createLogger('api');
await runProgram(logger, () => loadApiConfig(process.env), async (config) => {
  const db = createDb(config.DATABASE_URL);
  const tokens = new TokenStore(db);
  await bootstrapAdminToken(tokens, config, logger);
  // Requests must not wait on a Redis that is down: fail fast (callers answer 503 or fail open).
  const redis = createRedis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  const queue = new BullDeploymentQueue(config.REDIS_URL, config.BERTH_INSTANCE, config.QUEUE_TIMEOUT_MS);
  const relay = new LogRelay(createRedis(config.REDIS_URL), config.BERTH_INSTANCE, logger);
  await relay.start();
  const lifecycle = new DeploymentLifecycle({
    db,
    status: new RedisStatusPublisher(redis, config.BERTH_INSTANCE),
    control: new RedisControlPublisher(redis, config.BERTH_INSTANCE),
    pendingJobs: queue,
    retry: noRetry,
    logger,
  });
  const app = await buildApp({ config, store: new DeploymentStore(db), tokens, redis, lifecycle, queue, relay, logger });
  await app.listen({ host: config.API_HOST, port: config.API_PORT });
  return [
    ['http server', () => app.close()],
    ['log relay', () => relay.close()],
    ['queue', () => queue.close()],
    ['redis', () => redis.quit()],
    ['database', () => db.destroy()],
  ];
});
