import Docker from 'dockerode';
import { createDb } from '@berth/shared/db';
import { RoutingStore } from '@berth/shared/routing-store';
import { DomainStore } from '@berth/shared/domain-store';
import { composeProgram, type Started } from '@berth/shared/program-lifecycle';
import type { Logger } from '@berth/shared/logger';
import { createRedis } from '@berth/shared/redis';
import { RouterMetrics, startMetricsPublisher } from '@berth/shared/metrics';
import { HttpCaddyAdmin } from './caddy-admin.ts';
import { MeteredCaddyAdmin } from './metered-caddy-admin.ts';
import { CaddyNetworks } from './caddy-networks.ts';
import type { RouterSyncConfig } from './config.ts';
import { RequestMetricStore } from '@berth/shared/app-metrics/request-metric-store';
import { AccessLogReceiver } from './access-log-receiver.ts';
import { routedHosts } from './caddy-config.ts';
import { dockerDiscovery, readRoutingState, swarmDiscovery, type AppDiscovery } from './route-state.ts';
import { RouterSync } from './router-sync.ts';
import { RouteResolver } from './dns/route-resolver.ts';

export interface RouterSyncHandle extends Started {
  sync: RouterSync;
}

/** router-sync's composition root, used by `main.ts` and by the test stack alike. */
export async function startRouterSync(config: RouterSyncConfig, logger: Logger): Promise<RouterSyncHandle> {
  return composeProgram(logger, async (opened) => {
    const db = createDb(config.DATABASE_URL, { max: 2 });
    opened('database', () => db.destroy());
    const store = new RoutingStore(db);
    const domains = new DomainStore(db);
    const docker = new Docker();
    const redis = createRedis(config.REDIS_URL);
    opened('redis', () => redis.quit().catch(() => redis.disconnect()));
    const metrics = new RouterMetrics();
    const metricsPublisher = startMetricsPublisher(redis, config, 'router-sync', metrics.registry, logger);
    opened('metrics', () => metricsPublisher.stop());
    const discover = discoveryFor(config.BERTH_RUNTIME, docker);
    const accessLog = await startAccessLog(config, new RequestMetricStore(db), metrics, logger);
    if (accessLog) opened('access log receiver', () => accessLog.receiver.stop());
    const resolver = await startResolver(config, logger);
    if (resolver) opened('route resolver', () => resolver.stop());
    const sync = new RouterSync({
      config,
      docker,
      logger,
      caddy: new MeteredCaddyAdmin(new HttpCaddyAdmin(config.CADDY_ADMIN_URL), metrics),
      subscriber: createRedis(config.REDIS_URL),
      readState: () => readRoutingState(discover, store, { instance: config.BERTH_INSTANCE, network: config.network, domains }),
      networks: config.CADDY_CONTAINER
        ? new CaddyNetworks(docker, { container: config.CADDY_CONTAINER, instance: config.BERTH_INSTANCE, logger, drainMs: config.NETWORK_DRAIN_MS })
        : undefined,
      accessLog: accessLog && {
        address: accessLog.address,
        onState: (state) => accessLog.receiver.setHosts(routedHosts(state, config.BASE_DOMAIN)),
      },
      resolver: resolver && {
        address: resolver.address,
        onState: (state) => resolver.setHosts(routedHosts(state, config.BASE_DOMAIN)),
      },
    });
    opened('reconciler', () => sync.stop());
    await sync.start();
    return { sync };
  });
}

/** Request metrics' receiver of Caddy's access log (none with ACCESS_LOG_LISTEN=off), listening before any config names it. */
async function startAccessLog(config: RouterSyncConfig, store: RequestMetricStore, metrics: RouterMetrics, logger: Logger) {
  if (config.accessLogListen === 'off') return undefined;
  const receiver = new AccessLogReceiver({
    listen: config.accessLogListen,
    intervalMs: config.REQUEST_METRICS_INTERVAL_MS,
    write: (rows) => store.insert(rows),
    metrics,
    logger,
  });
  return { receiver, address: await receiver.start() };
}

/** The route resolver Caddy looks app hosts up in (none with ROUTE_RESOLVER_LISTEN=off), listening before any config names it. */
async function startResolver(config: RouterSyncConfig, logger: Logger) {
  if (config.routeResolverListen === 'off') return undefined;
  const resolver = new RouteResolver(config.routeResolverListen, logger);
  const address = await resolver.start();
  return { address, setHosts: (hosts: Parameters<RouteResolver['setHosts']>[0]) => resolver.setHosts(hosts), stop: () => resolver.stop() };
}

/** The discovery BERTH_RUNTIME names; the rest of router-sync does not know which. */
function discoveryFor(runtime: RouterSyncConfig['BERTH_RUNTIME'], docker: Docker): AppDiscovery {
  switch (runtime) {
    case 'docker':
      return dockerDiscovery(docker);
    case 'swarm':
      return swarmDiscovery(docker);
    default: {
      const unknown: never = runtime;
      throw new Error(`unknown runtime ${String(unknown)}`);
    }
  }
}
