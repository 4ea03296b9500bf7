import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createDb, type Db } from '@berth/shared/db';
import { DeploymentStore } from '@berth/shared/deployment-store';
import { LogStore } from '@berth/shared/log-store';
import { TransitionHistory } from '@berth/shared/transition-history';
import { composeProgram, type Started } from '@berth/shared/program-lifecycle';
import type { Logger } from '@berth/shared/logger';
import { createRedis, type Redis } from '@berth/shared/redis';
import { RedisStatusPublisher } from '@berth/shared/status-publisher';
import { RedisControlPublisher } from '@berth/shared/control-messages';
import { DeploymentLifecycle, noRetry } from '@berth/shared/deployment-lifecycle';
import { TokenStore } from '@berth/shared/token-store';
import { ArchiveStore } from '@berth/shared/archive-store';
import { ProjectStore } from '@berth/shared/project-store';
import { RoutingStore } from '@berth/shared/routing-store';
import { loadSecretBox } from '@berth/shared/secret-box';
import { AppMetricStore } from '@berth/shared/app-metrics/metric-samples';
import { DomainStore } from '@berth/shared/domain-store';
import { listenOnUnixSocket } from './unix-listener.ts';
import { bootstrapAdminToken } from './admin-token.ts';
import { buildApp, type AppDeps } from './app.ts';
import type { ApiConfig } from './config.ts';
import { BullDeploymentQueue } from './deployment-queue.ts';
import { EventRelay } from './event-relay.ts';
import { ApiMetrics, countDeploymentsByStatus, otherProcessesMetrics } from './metrics.ts';
import { startMetricsPublisher } from '@berth/shared/metrics';

export interface ApiHandle extends Started {
  app: FastifyInstance;
  /** Where it listens, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** What the app was built from (tests build a second app on the same services). */
  deps: AppDeps;
  relay: EventRelay;
}

/**
 * The API's composition root, used by `main.ts` and by the test stack alike:
 * connects to Postgres and Redis, makes sure an admin token exists, builds the
 * app and listens.
 */
export async function startApi(config: ApiConfig, logger: Logger): Promise<ApiHandle> {
  return composeProgram(logger, async (opened) => {
    const db = createDb(config.DATABASE_URL);
    opened('database', () => db.destroy());
    const tokens = new TokenStore(db);
    await bootstrapAdminToken(tokens, config, logger);
    // Requests must not wait on a Redis that is down: fail fast (callers answer 503 or fail open).
    const redis = createRedis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    opened('redis', () => redis.quit());
    const queue = new BullDeploymentQueue(config.REDIS_URL, config.BERTH_INSTANCE, config.QUEUE_TIMEOUT_MS);
    opened('queue', () => queue.close());
    const relay = new EventRelay(createRedis(config.REDIS_URL), config.BERTH_INSTANCE, logger);
    opened('event relay', () => relay.close());
    await relay.start();
    const secrets = await loadSecretBox(config);
    const status = new RedisStatusPublisher(redis, config.BERTH_INSTANCE);
    const lifecycle = apiLifecycle(config, db, redis, status, queue, logger);
    const store = new DeploymentStore(db);
    const projects = new ProjectStore(db);
    const metrics = new ApiMetrics();
    const metricsPublisher = startMetricsPublisher(redis, config, 'api', metrics.registry, logger);
    opened('metrics', () => metricsPublisher.stop());
    const deps: AppDeps = {
      config,
      store,
      projects,
      db,
      archives: new ArchiveStore(db),
      routing: new RoutingStore(db),
      announceRoutes: () => status.announceRoutes(),
      secrets,
      logs: new LogStore(db),
      history: new TransitionHistory(db),
      tokens,
      domains: new DomainStore(db),
      redis,
      lifecycle,
      queue,
      relay,
      metrics,
      metricsSources: {
        deploymentCounts: () => countDeploymentsByStatus(db),
        queueCounts: () => queue.jobCounts(),
        published: () => otherProcessesMetrics(redis, config.BERTH_INSTANCE, metricsPublisher.processId),
        // Samples older than a minute are of containers that stopped (the workers sample every APP_METRICS_INTERVAL_MS).
        appUsage: () => new AppMetricStore(db).usageByProject(60_000),
      },
      logger,
    };
    const app = await buildApp(deps);
    opened('http server', () => app.close());
    await app.listen({ host: config.API_HOST, port: config.API_PORT });
    if (config.API_SOCKET_PATH) opened('unix socket', await listenOnUnixSocket(app.server, config.API_SOCKET_PATH));
    const { address, port } = app.server.address() as AddressInfo;
    const host = address.includes(':') ? `[${address}]` : address;
    return { app, url: `http://${host}:${port}`, deps, relay };
  });
}

/** The API's status changes: a pending job is dropped with a cancel; no retry while Postgres is away. */
function apiLifecycle(config: ApiConfig, db: Db, redis: Redis, status: RedisStatusPublisher, queue: BullDeploymentQueue, logger: Logger): DeploymentLifecycle {
  return new DeploymentLifecycle({
    db,
    status,
    control: new RedisControlPublisher(redis, config.BERTH_INSTANCE),
    pendingJobs: queue,
    // A request answers 503 at once rather than wait out a database restart.
    retry: noRetry,
    logger,
  });
}
