import { startLogDrains } from './drains/start-log-drains.ts';
import { Queue, type Worker } from 'bullmq';
import { RedisControlPublisher } from '@berth/shared/control-messages';
import { createDb, type Db } from '@berth/shared/db';
import { DeploymentLifecycle, retryUntilPostgresIsBack } from '@berth/shared/deployment-lifecycle';
import { DeploymentStore } from '@berth/shared/deployment-store';
import { deploymentQueueName, type DeploymentJobData } from '@berth/shared/jobs';
import { composeProgram, type Opened, type Started } from '@berth/shared/program-lifecycle';
import { LogStore } from '@berth/shared/log-store';
import type { Logger } from '@berth/shared/logger';
import { createRedis, type Redis } from '@berth/shared/redis';
import { onOwnConnection } from '@berth/shared/own-connection';
import { queuePrefix } from '@berth/shared/redis-keys';
import { RedisStatusPublisher } from '@berth/shared/status-publisher';
import { startMetricsPublisher, WorkerMetrics } from '@berth/shared/metrics';
import { meterLogAppends, MeteredStatusPublisher } from '@berth/shared/metrics-recorders';
import { loadSecretBox } from '@berth/shared/secret-box';
import { WorkerRegistry } from '@berth/shared/worker-registry';
import type { WorkerConfig } from './config.ts';
import { subscribeToControl } from './control-subscription.ts';
import { closeWithinGrace, createDeploymentWorker } from './deployment-job-worker.ts';
import type { ContainerRuntime } from './docker/container-runtime.ts';
import { runtimeFor } from './docker/runtime-for.ts';
import { DrainTimers } from './drain-timers.ts';
import { startLogIndexer } from './log-indexer.ts';
import { ProcessScaler } from './process-scaler.ts';
import { ProjectStore } from '@berth/shared/project-store';
import type { Reaper } from './reaper.ts';
import type { RuntimeLogFollower } from './runtime-logs.ts';
import { buildCgroupsFor, checkNetwork } from './startup-checks.ts';
import { WorkerHeartbeat } from './worker-heartbeat.ts';
import { startServiceUpkeep } from './services/service-parts.ts';
import { startRuns } from './runs/start-runs.ts';
import { startBackups } from './backups/start-backups.ts';
import { startAppMetricsSampler } from './app-metrics/start-app-metrics.ts';
import {
  createRunner,
  createRuntimeLogFollower,
  hostDocker,
  logOpener,
  runReaperPeriodically,
  startReplicaReconciler,
  startWebhookSender,
  type PipelineParts,
} from './worker-parts.ts';
import { createReaper } from './reaper-parts.ts';

export interface WorkerHandle extends Started {
  worker: Worker<DeploymentJobData>;
  runtimeLogs: RuntimeLogFollower;
  reaper: Reaper;
}

/**
 * The worker's composition root, used by `main.ts` and by the test stack
 * alike: checks the app network and build limits, then wires a BullMQ worker
 * to the deployment pipeline, the runtime log follower, cancel/stop requests
 * and the reaper. Its cleanups close in reverse order of opening: the reaper,
 * the control subscription, the log follower, the BullMQ worker (running jobs
 * get the grace period, then are handed back), the reaper's queue, Redis,
 * then the database if it opened it.
 */
export async function startWorker(deps: {
  config: WorkerConfig;
  logger: Logger;
  /** A database the caller owns (tests share theirs); otherwise one is opened from `DATABASE_URL`. */
  db?: Db;
  runtime?: ContainerRuntime;
}): Promise<WorkerHandle> {
  const { config, logger } = deps;
  return composeProgram(logger, async (opened) => {
    const runtime = deps.runtime ?? runtimeFor(config);
    // A runtime the caller gave is the caller's to close; this one keeps a prober in swarm mode.
    if (!deps.runtime) opened('container runtime', () => runtime.close());
    await checkNetwork(config, runtime, logger);
    const buildCgroups = await buildCgroupsFor(config, runtime);
    // Connections only once the checks above passed: a worker that refuses to start opens none.
    const secrets = await loadSecretBox(config);
    const db = deps.db ?? openDb(config, opened);
    const redis: Redis = createRedis(config.REDIS_URL);
    opened('redis', () => redis.quit().catch(() => redis.disconnect()));
    const queue = openReaperQueue(config, logger, opened);
    const parts = pipelineParts({ config, db, redis, runtime, logger, secrets }, opened);
    const openLog = logOpener(parts);
    const runtimeLogs = createRuntimeLogFollower(parts, openLog);
    const drains = new DrainTimers(config.DRAIN_MS, () => reaper.retireDrained(), logger);
    opened('drain timers', async () => drains.clear());
    const runner = createRunner(parts, buildCgroups, openLog, runtimeLogs, drains);
    const running = new Set<string>();
    const worker = createDeploymentWorker(config, runner, logger, running);
    // Opened before the BullMQ worker so that it closes after it: a draining worker still shows what it runs.
    const heartbeat = new WorkerHeartbeat(
      new WorkerRegistry(redis, config.BERTH_INSTANCE),
      { id: config.workerName, concurrency: config.WORKER_CONCURRENCY, running },
      config.WORKER_HEARTBEAT_MS,
      logger,
    );
    opened('heartbeat', () => heartbeat.stop());
    opened('bullmq worker', () => closeWithinGrace(worker, config.SHUTDOWN_GRACE_MS, logger));
    await worker.waitUntilReady();
    heartbeat.start();
    runtimeLogs.start();
    opened('runtime log follower', () => runtimeLogs.stop());
    const replicas = startReplicaReconciler(parts, opened);
    // Docker mode: a project's process counts changed (swarm mode runs the web process only).
    const processes = config.BERTH_RUNTIME === 'docker' ? new ProcessScaler({ config, docker: hostDocker(), runtime, store: parts.store, projects: new ProjectStore(db), logger }) : undefined;
    await subscribeToControl(config, worker, runtime, logger, opened, (id) => {
      void replicas?.poke(id);
      processes?.poke(id);
    });
    startWebhookSender(parts, opened);
    startLogDrains(parts, opened);
    await startRuns(parts, opened);
    await startBackups(parts, opened);
    startAppMetricsSampler(parts, opened);
    startLogIndexer(config, parts.db, logger, opened);
    const reaper = createReaper(parts, buildCgroups, queue);
    runReaperPeriodically(reaper, config, logger, opened, parts.db);
    startServiceUpkeep(parts, hostDocker(), opened);
    return { worker, runtimeLogs, reaper };
  });
}

/** The queue the reaper re-enqueues stranded deployments on (its own connection). */
function openReaperQueue(config: WorkerConfig, logger: Logger, opened: Opened): Queue<DeploymentJobData> {
  const queue = onOwnConnection(config.REDIS_URL, (connection) => new Queue<DeploymentJobData>(deploymentQueueName, { connection, prefix: queuePrefix(config.BERTH_INSTANCE) }));
  queue.on('error', (err) => logger.warn({ err }, 'reaper queue connection error'));
  opened('reaper queue', () => queue.close().catch(() => {}));
  return queue;
}

/** The stores and publishers every part shares, metered; metrics are published from here on. */
function pipelineParts(
  base: Pick<PipelineParts, 'config' | 'db' | 'redis' | 'runtime' | 'logger' | 'secrets'>,
  opened: Opened,
): PipelineParts {
  const { config, db, redis, logger } = base;
  const status = new RedisStatusPublisher(redis, config.BERTH_INSTANCE);
  const metrics = new WorkerMetrics();
  const metricsPublisher = startMetricsPublisher(redis, config, 'worker', metrics.registry, logger);
  opened('metrics', () => metricsPublisher.stop());
  return {
    ...base,
    status,
    store: new DeploymentStore(db),
    logs: meterLogAppends(new LogStore(db), metrics),
    lifecycle: new DeploymentLifecycle({
      db,
      status: new MeteredStatusPublisher(status, metrics),
      control: new RedisControlPublisher(redis, config.BERTH_INSTANCE),
      retry: retryUntilPostgresIsBack,
      logger,
    }),
  };
}

function openDb(config: WorkerConfig, opened: Opened): Db {
  const db = createDb(config.DATABASE_URL);
  opened('database', () => db.destroy());
  return db;
}
