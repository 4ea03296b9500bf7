import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { Queue } from 'bullmq';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import type { AppDeps } from '@berth/api/app';
import { loadApiConfig, type ApiConfig } from '@berth/api/config';
import type { EventRelay } from '@berth/api/event-relay';
import { startApi } from '@berth/api/start-api';
import { startWorker, type WorkerHandle } from '@berth/worker/worker';
import { loadWorkerConfig } from '@berth/worker/config';
import { loadRouterSyncConfig } from '@berth/router-sync/config';
import type { RouterSync } from '@berth/router-sync/router-sync';
import { startRouterSync, type RouterSyncHandle } from '@berth/router-sync/start-router-sync';
import { deploymentQueueName } from '@berth/shared/jobs';
import { queuePrefix } from '@berth/shared/redis-keys';
import { labels } from '@berth/shared/labels';
import { imageRepositoryPrefix } from '@berth/shared/docker-names';
import { createLogger, type Logger } from '@berth/shared/logger';
import { onOwnConnection } from '@berth/shared/own-connection';
import { testNetwork } from './network.ts';
import { startCaddy, type TestCaddy } from './caddy.ts';
import { startSwarmParts, type SwarmParts } from './swarm-stack.ts';
import { createTestDatabase, silentLifecycle, type TestDatabase } from './database.ts';
import { createDb } from '@berth/shared/db';
import { DeploymentStore } from '@berth/shared/deployment-store';
import { LogStore } from '@berth/shared/log-store';
import { TransitionHistory } from '@berth/shared/transition-history';

export const docker = new Docker();
/** Every test stack accepts this admin token. */
export const testToken = 'berth_test_admin_token_0123456789';
export const authHeaders = { authorization: `Bearer ${testToken}` };
export { testNetwork } from './network.ts';

export interface StackOptions {
  workers?: number;
  router?: boolean;
  env?: Record<string, string>;
  /** A migrated database to use instead of a fresh clone of the template (e.g. a private Postgres). */
  databaseUrl?: string;
  /**
   * docker (default): plain containers, a host Caddy. swarm: services on an overlay of the
   * instance's own, a private registry, Caddy as a container on that overlay, the API on a
   * unix socket it reaches (swarm-stack.ts). Defaults to BERTH_RUNTIME's value.
   */
  runtime?: 'docker' | 'swarm';
}

export interface Stack {
  instance: string;
  /** The environment the stack's programs were configured with (to start more as processes). */
  env: Record<string, string>;
  db: TestDatabase;
  apiUrl: string;
  api: FastifyInstance;
  apiConfig: ApiConfig;
  relay: EventRelay;
  caddy: TestCaddy | undefined;
  /** swarm: the overlay network, the registry and the Caddy container (socketDir, container name). */
  swarm: SwarmParts | undefined;
  router: RouterSync | undefined;
  workers: WorkerHandle[];
  /** Base URL of Caddy's HTTP listener. */
  caddyUrl: string;
  addWorker(env?: Record<string, string>): Promise<WorkerHandle>;
  /** What startApi built the app from, to build a second API on the same services. */
  apiDeps(): AppDeps;
  /** app.inject with the admin token (pass an authorization header to override). */
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * The whole platform in this test process, on real Redis, Postgres, Docker
 * and (optionally) a private Caddy: a fresh database, a unique instance name
 * (queue prefix, channels, container labels), then api + workers + router-sync.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const instance = `t${randomBytes(4).toString('hex')}`;
  const db = options.databaseUrl ? externalDatabase(options.databaseUrl) : await createTestDatabase();
  const logger = createLogger(`test-${instance}`, (process.env.TEST_LOG_LEVEL as 'info') ?? 'silent');
  const runtime = options.runtime ?? (process.env.BERTH_RUNTIME === 'swarm' ? 'swarm' : 'docker');
  const swarm = runtime === 'swarm' ? await startSwarmParts(instance, options.router !== false) : undefined;
  const caddy = options.router === false ? undefined : (swarm?.caddy ?? (await startCaddy()));
  const baseEnv = stackEnv(instance, db.url, caddy, { ...swarm?.env, ...options.env });

  // The programs' own composition roots, as main.ts runs them.
  const apiConfig = loadApiConfig({ ...baseEnv, API_HOST: '127.0.0.1', API_PORT: '0', ...swarm?.apiEnv });
  const apiHandle = await startApi(apiConfig, logger);
  const api = apiHandle.app;

  const workers: WorkerHandle[] = [];
  const addWorker = async (env: Record<string, string> = {}) => {
    // Workers in one test process share a pid: each gets its own name, as `npm run up` gives them.
    const name = { WORKER_NAME: `worker-${workers.length + 1}` };
    const handle = await startWorker({ config: loadWorkerConfig({ ...baseEnv, ...name, ...env }), db: db.db, logger });
    workers.push(handle);
    return handle;
  };
  for (let i = 0; i < (options.workers ?? 1); i++) await addWorker();

  const routerHandle = caddy && (await startTestRouter(baseEnv, caddy, apiHandle.url, logger, swarm?.routerEnv));

  return {
    instance,
    db,
    env: baseEnv,
    api,
    apiConfig,
    apiUrl: apiHandle.url,
    relay: apiHandle.relay,
    caddy,
    swarm,
    router: routerHandle?.sync,
    workers,
    caddyUrl: `http://127.0.0.1:${caddy?.httpPort ?? 0}`,
    addWorker,
    apiDeps: () => apiHandle.deps,
    inject: (opts) =>
      api.inject({ ...opts, headers: { ...authHeaders, ...(opts.headers as Record<string, string> | undefined) } }),
    async close() {
      await routerHandle?.close();
      await Promise.all(workers.map((w) => w.close()));
      await apiHandle.close();
      const q = onOwnConnection(baseEnv.REDIS_URL!, (connection) => new Queue(deploymentQueueName, { connection, prefix: queuePrefix(instance) }));
      await q.obliterate({ force: true }).catch(() => {});
      await q.close();
      if (swarm) await swarm.close(); // services, the Caddy container, the overlay, the registry
      await removeInstanceResources(instance);
      await db.drop();
      if (!swarm) await caddy?.stop();
    },
  };
}

const stackSecretKey = randomBytes(32).toString('hex');

/** What every program of a stack is configured with (the tests' own values, then the caller's). */
function stackEnv(
  instance: string,
  databaseUrl: string,
  caddy: TestCaddy | undefined,
  env: Record<string, string> | undefined,
): Record<string, string> {
  return {
    REDIS_URL: env?.REDIS_URL ?? inject('redisUrl'),
    DATABASE_URL: databaseUrl,
    BERTH_INSTANCE: instance,
    BERTH_NETWORK: testNetwork,
    BASE_DOMAIN: 'localhost',
    PUBLIC_PORT: String(caddy?.httpPort ?? 8080),
    PUBLIC_HTTPS_PORT: String(caddy?.httpsPort ?? 8443),
    BERTH_ADMIN_TOKEN: testToken,
    // One key per stack: its API seals env values, its workers open them.
    BERTH_SECRET_KEY: stackSecretKey,
    // The tests' git servers listen on loopback (test/security/git-ssrf covers the default).
    GIT_ALLOW_PRIVATE_HOSTS: 'true',
    // Failed builds' layers go soon, so test runs leave none (long enough for a concurrent build to build on a shared one).
    BUILD_LEFTOVER_GRACE_MS: '3000',
    HEALTHCHECK_TIMEOUT_MS: '4000',
    JOB_LOCK_MS: '5000',
    JOB_STALLED_INTERVAL_MS: '2000',
    SHUTDOWN_GRACE_MS: '5000',
    // Tests send hundreds of bad credentials and hook deliveries from loopback; the throttle's own test sets its limit.
    STRANGER_RATE_LIMIT: '1000000',
    ...env,
  };
}

/** router-sync as main.ts starts it, on the stack's private Caddy, routing to the stack's API. */
async function startTestRouter(
  baseEnv: Record<string, string>,
  caddy: TestCaddy,
  apiUrl: string,
  logger: Logger,
  overrides: Record<string, string> = {},
): Promise<RouterSyncHandle> {
  const config = loadRouterSyncConfig({
    ...baseEnv,
    CADDY_ADMIN_URL: caddy.adminUrl,
    CADDY_HTTP_LISTEN: `127.0.0.1:${caddy.httpPort}`,
    CADDY_HTTPS_LISTEN: `127.0.0.1:${caddy.httpsPort}`,
    API_UPSTREAM: new URL(apiUrl).host,
    RESYNC_INTERVAL_MS: '1000',
    ...overrides, // a swarm stack's: the container's listeners, the API's unix socket
  });
  return startRouterSync(config, logger);
}

function externalDatabase(url: string): TestDatabase {
  const db = createDb(url, { max: 5 });
  return {
    url,
    db,
    store: new DeploymentStore(db),
    logs: new LogStore(db),
    history: new TransitionHistory(db),
    lifecycle: silentLifecycle(db),
    drop: () => db.destroy(),
  };
}

/**
 * The stack of one test file: started before its tests, closed after them, and checked to
 * have left none of its containers. Call the getter inside tests (the stack exists once started).
 */
export function stackForFile(options: StackOptions = {}): () => Stack {
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await startStack(options);
  });
  afterAll(async () => {
    await stack?.close();
    if (stack) expect(await instanceContainers(stack.instance)).toEqual([]);
  });
  return () => stack!;
}

/** Containers and images a test instance left (should be none after a clean run). */
export async function instanceContainers(instance: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`${labels.instance}=${instance}`] } });
}

export async function instanceImages(instance: string): Promise<string[]> {
  const images = await docker.listImages();
  return images.flatMap((i) => i.RepoTags ?? []).filter((t) => t.startsWith(imageRepositoryPrefix(instance)));
}

export async function removeInstanceResources(instance: string): Promise<void> {
  for (const c of await instanceContainers(instance)) {
    await docker.getContainer(c.Id).remove({ force: true }).catch(() => {});
  }
  // noprune: the untagged layers under the tag are the build cache that builds in the other
  // test file running now may be using between two steps; pruning them would fail that build
  // ("unknown parent image ID"). They are shared and few; the next runs reuse them.
  for (const tag of await instanceImages(instance)) {
    await docker.getImage(tag).remove({ force: true, noprune: true }).catch(() => {});
  }
  // Project volumes (issue 28), after the containers that mount them.
  const { Volumes } = await docker.listVolumes({ filters: { label: [`${labels.instance}=${instance}`] } });
  for (const v of Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => {});
  // Project networks (issue 29: a project's services and apps), once no container is on them.
  for (const n of await docker.listNetworks({ filters: { label: [`${labels.instance}=${instance}`] } })) await docker.getNetwork(n.Id).remove().catch(() => {});
}
