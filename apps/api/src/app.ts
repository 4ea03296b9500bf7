import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import type { LogStore } from '@berth/shared/log-store';
import type { TransitionHistory } from '@berth/shared/transition-history';
import type { Logger } from '@berth/shared/logger';
import type { ApiConfig } from './config.ts';
import type { DeploymentQueue } from './deployment-queue.ts';
import { installErrorHandler } from './http-errors.ts';
import type { EventRelay } from './event-relay.ts';
import { deploymentRoutes } from './routes/deployments.ts';
import { deploymentScaleRoutes } from './routes/deployment-scale.ts';
import { deploymentMoveRoutes } from './routes/deployment-move.ts';
import { RedisControlPublisher } from '@berth/shared/control-messages';
import { ReplicaStore } from '@berth/shared/replica-store';
import { ProcessStore } from '@berth/shared/process-store';
import { OpenStreams } from './sse/open-streams.ts';
import { watchStreamTokens } from './sse/stream-token-watch.ts';
import type { TokenStore } from '@berth/shared/token-store';
import type { Redis } from '@berth/shared/redis';
import { deployRateKey } from '@berth/shared/redis-keys';
import { wireRevocations } from './access/revocations.ts';
import type { DeploymentLifecycle } from '@berth/shared/deployment-lifecycle';
import { installAuth, type AccessDeps } from './auth.ts';
import type { TokenCache } from './token-cache.ts';
import { accessDeps } from './access/access-deps.ts';
import { StrangerThrottle } from './access/stranger-throttle.ts';
import { installRequestAudit } from './people/request-audit.ts';
import { AuditLog } from '@berth/shared/accounts/audit-log';
import { sessionTimesOf } from '@berth/shared/accounts/session-store';
import { streamCredentialChecks } from './access/stream-credentials.ts';
import type { OwnedTokenCheck } from './access/token-owners.ts';
import { MemberStore } from '@berth/shared/accounts/member-store';
import { peopleRoutes } from './people/people-routes.ts';
import { healthRoutes } from './routes/health.ts';
import { deploymentLogRoutes } from './routes/deployment-logs.ts';
import { deploymentMetricRoutes } from './routes/deployment-metrics.ts';
import { AppMetricStore } from '@berth/shared/app-metrics/metric-samples';
import { RequestMetricStore } from '@berth/shared/app-metrics/request-metric-store';
import { eventRoutes } from './routes/events.ts';
import { projectRoutes } from './routes/projects.ts';
import type { ProjectStore } from '@berth/shared/project-store';
import type { SecretBox } from '@berth/shared/secret-box';
import { Releases } from './releases.ts';
import type { ArchiveStore } from '@berth/shared/archive-store';
import type { RoutingStore } from '@berth/shared/routing-store';
import { ConcurrencyLimit } from './concurrency-limit.ts';
import { RateLimitedError, RateLimiter } from './rate-limiter.ts';
import { domainRoutes } from './routes/domains.ts';
import { volumeRoutes } from './routes/volumes.ts';
import { logSearchRoutes } from './routes/log-search.ts';
import { requestMetricRoutes } from './routes/request-metrics.ts';
import { LogSearch } from '@berth/shared/log-search/log-search';
import { registerBackupRoutes, registerRunRoutes } from './run-routes-setup.ts';
import { VolumeStore } from '@berth/shared/volume-store';
import { serviceRoutes } from './routes/services.ts';
import { ServiceStore } from '@berth/shared/service-store';
import { webhookRoutes } from './routes/webhooks.ts';
import { drainRoutes } from './routes/drains.ts';
import { LogDrainStore } from '@berth/shared/log-drain-store';
import { WebhookStore } from '@berth/shared/webhook-store';
import { HookDeliveryStore } from '@berth/shared/hook-delivery-store';
import { gitHookRoutes } from './routes/git-hooks.ts';
import type { Db } from '@berth/shared/db';
import type { DomainStore } from '@berth/shared/domain-store';
import { WorkerRegistry } from '@berth/shared/worker-registry';
import { workerRoutes } from './routes/workers.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { installOpenApi, openDocsRoutes } from './openapi.ts';
import { installZodBodies } from './zod-body.ts';
import type { ApiMetrics, MetricsSources } from './metrics.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { closeAnsweredUpgrades, terminalRoutes, type TerminalRouteOptions } from './terminal/terminal-routes.ts';
import { TerminalSessions } from './terminal/terminal-sessions.ts';

export interface AppDeps {
  config: ApiConfig;
  store: DeploymentStore;
  /** Stored log lines (the logs route, the streams' replay). */
  logs: LogStore;
  /** Recorded status changes (a new viewer's timeline). */
  history: TransitionHistory;
  tokens: TokenStore;
  domains: DomainStore;
  /** Commands (rate limits); the relay has its own subscriber connection. */
  redis: Redis;
  /** Every status change (cancel, stop, a failed enqueue) goes through it. */
  lifecycle: DeploymentLifecycle;
  queue: DeploymentQueue;
  relay: EventRelay;
  projects: ProjectStore;
  /** The webhook and hook-delivery stores' (made here). */
  db: Db;
  archives: ArchiveStore;
  routing: RoutingStore;
  /** Tells router-sync that a project URL moved. */
  announceRoutes: () => Promise<void>;
  /** Seals and opens env values. */
  secrets: SecretBox;
  /** This process's own metrics, and where /metrics reads everything else. */
  metrics: ApiMetrics;
  metricsSources: MetricsSources;
  logger: Logger;
  docker?: TerminalRouteOptions['docker']; // where terminals exec (default: the local Docker, DOCKER_HOST)
}

/** Builds the Fastify app from its dependencies; `startApi` decides where they come from (tests swap some). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = createFastify(deps.logger);
  installErrorHandler(app);
  closeAnsweredUpgrades(app);
  openDocsRoutes(app);
  const access = installAccess(app, deps);
  installRequestAudit(app, AuditLog.keyedBy(deps.db, deps.secrets), deps.logger);
  const tokenCache = access.tokens;
  await app.register(multipart, {
    limits: { fileSize: deps.config.MAX_ARCHIVE_BYTES, files: 1, fields: 20, fieldSize: 256 * 1024 },
  });
  await installOpenApi(app);
  installZodBodies(app);
  // Long-lived SSE responses would hold close() forever: end them first.
  const streams = new OpenStreams(deps.config.MAX_EVENT_STREAMS_PER_TOKEN);
  deps.metrics.countStreams(() => streams.size);
  watchStreamTokens(streams, streamCredentialChecks(deps.db, deps.tokens), deps.config.TOKEN_RECHECK_MS, deps.logger);
  const terminals = new TerminalSessions(deps.config.MAX_TERMINAL_SESSIONS_PER_USER, deps.config.MAX_TERMINAL_SESSIONS);
  const revocations = wireRevocations({ tokens: tokenCache, streams, terminals, relay: deps.relay, redis: deps.redis, instance: deps.config.BERTH_INSTANCE, logger: deps.logger });
  const revoked = (tokenId: string) => revocations.forgetToken(tokenId);
  app.decorate('access', { forgetToken: revoked, forgetOwner: (userId: string) => revocations.forgetOwner(userId) });
  app.addHook('preClose', async () => {
    revocations.stop();
    streams.endAll();
  });
  await registerRoutes(app, deps, { streams, terminals }, revoked, access);
  return app;
}

/**
 * Who the caller is and what each route lets them do (auth.ts). Verified
 * tokens (with their owners' rights) are kept up to TOKEN_RECHECK_MS; a
 * revocation through any API drops them at once (pub/sub).
 */
function installAccess(app: FastifyInstance, deps: AppDeps): AccessDeps & { tokens: TokenCache<OwnedTokenCheck> } {
  const strangers = new StrangerThrottle(deps.redis, deps.config, deps.logger);
  const access = accessDeps({ ...deps, strangers, sessionTimes: sessionTimesOf(deps.config) }, deps.config.TOKEN_RECHECK_MS);
  installAuth(app, access);
  return access;
}

function createFastify(logger: Logger): FastifyInstance {
  return Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    // On close, drop idle keep-alive connections instead of waiting for clients to.
    forceCloseConnections: 'idle',
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false } },
    // A request the HTTP parser refuses (malformed target or headers) never reaches a route; say so in Berth's format.
    clientErrorHandler: (_err, socket) => {
      if (!socket.writable) return socket.destroy();
      const body = JSON.stringify({ error: { code: 'VALIDATION_FAILED', message: 'malformed HTTP request' } });
      socket.end(
        `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    },
  });
}

/** The routes, with what they share: the deploy rate limit, the upload slots, the release operations. */
async function registerRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  { streams, terminals }: { streams: OpenStreams; terminals: TerminalSessions },
  revoked: (tokenId: string) => Promise<void>,
  access: Pick<AccessDeps, 'deploymentProjects' | 'strangers'>,
): Promise<void> {
  const limiter = new RateLimiter(
    deps.redis,
    deployRateKey(deps.config.BERTH_INSTANCE),
    deps.config.DEPLOY_RATE_LIMIT,
    deps.config.DEPLOY_RATE_WINDOW_MS,
    deps.logger,
  );
  const { store, logs, history, lifecycle, relay, config, projects, secrets } = deps;
  const control = new RedisControlPublisher(deps.redis, config.BERTH_INSTANCE);
  // A release promoted (or rolled back to while it still runs): the workers start its processes, the old ones stopping first.
  const releases = new Releases({ ...deps, onPromoted: (deploymentId) => control.send({ type: 'scale', deploymentId }).catch(() => {}) });
  const replicas = new ReplicaStore({ db: deps.db, control });
  const processes = new ProcessStore({ db: deps.db, control });
  const uploads = new ConcurrencyLimit(
    config.MAX_CONCURRENT_UPLOADS,
    config.UPLOAD_SLOT_WAIT_MS,
    () => new RateLimitedError(1, `${config.MAX_CONCURRENT_UPLOADS} archive uploads are already being received; try again shortly`),
  );
  const api = app.withTypeProvider<JsonSchemaToTsProvider>();
  await api.register(healthRoutes, { store });
  const members = new MemberStore(deps.db);
  await api.register(deploymentRoutes, { store, queue: deps.queue, projects, releases, uploads, lifecycle, limiter, members, config });
  await api.register(deploymentScaleRoutes, { replicas, projects, config });
  await api.register(deploymentMoveRoutes, { releases, config });
  await api.register(terminalRoutes, { store, ...(deps.docker ? { docker: deps.docker } : {}), audit: AuditLog.keyedBy(deps.db, secrets), config, sessions: terminals });
  await api.register(projectRoutes, { projects, store, releases, lifecycle, secrets, limiter, uploads, replicas, processes, members, config });
  await api.register(deploymentLogRoutes, { store, logs, config });
  await api.register(deploymentMetricRoutes, { store, metrics: new AppMetricStore(deps.db) });
  await api.register(requestMetricRoutes, { metrics: new RequestMetricStore(deps.db), projects, deployments: store });
  await api.register(eventRoutes, { store, logs, history, relay, streams, config, deploymentProjects: access.deploymentProjects });
  await api.register(domainRoutes, { domains: deps.domains, announceRoutes: deps.announceRoutes, config, strangers: access.strangers });
  await api.register(volumeRoutes, { volumes: new VolumeStore(deps.db), config });
  await api.register(logSearchRoutes, { search: new LogSearch(deps.db, config.LOG_SEARCH_TIMEOUT_MS), projects });
  await api.register(serviceRoutes, { services: new ServiceStore(deps.db, secrets), config });
  await registerRunRoutes(api, { ...deps, streams });
  await registerBackupRoutes(api, deps);
  await api.register(webhookRoutes, { webhooks: new WebhookStore(deps.db), projects, secrets, config });
  await api.register(drainRoutes, { drains: new LogDrainStore(deps.db), projects, secrets, config });
  await api.register(gitHookRoutes, {
    hookDeliveries: new HookDeliveryStore(deps.db),
    ...{ projects, releases, secrets, limiter, logger: deps.logger, config, strangers: access.strangers },
  });
  await api.register(peopleRoutes, {
    deps,
    // Here and on the other API processes (access/revocations.ts).
    onRevoked: revoked,
  });
  await api.register(metricsRoutes, { metrics: deps.metrics, sources: deps.metricsSources });
  await api.register(workerRoutes, { workers: new WorkerRegistry(deps.redis, config.BERTH_INSTANCE) });
  await app.register(dashboardRoutes, {});
}
