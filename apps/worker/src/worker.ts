import { Queue, type Worker } from 'bullmq';
import { ArchiveStore } from '@berth/shared/archive-store';
import { RedisControlPublisher } from '@berth/shared/control-messages';
import { createDb, type Db, type DeploymentRow } from '@berth/shared/db';
import { DeploymentLifecycle, retryUntilPostgresIsBack } from '@berth/shared/deployment-lifecycle';
import { DeploymentStore } from '@berth/shared/deployment-store';
import { deploymentQueueName, type DeploymentJobData } from '@berth/shared/jobs';
import { startProgram, type Opened, type Started } from '@berth/shared/lifecycle';
import { LogStore } from '@berth/shared/log-store';
import type { Logger } from '@berth/shared/logger';
import { ReaperQueries } from '@berth/shared/reaper-queries';
import { createRedis, type Redis } from '@berth/shared/redis';
import { queuePrefix } from '@berth/shared/redis-keys';
import { ReleaseRouting } from '@berth/shared/release-routing';
import { RoutingStore } from '@berth/shared/routing-store';
import { RedisStatusPublisher } from '@berth/shared/status-publisher';
import { startMetricsPublisher, WorkerMetrics } from '@berth/shared/metrics';
import { meterLogAppends, MeteredStatusPublisher } from '@berth/shared/metrics-recorders';
import { loadSecretBox, type SecretBox } from '@berth/shared/secret-box';
import { TransitionHistory } from '@berth/shared/transition-history';
import { WorkerRegistry } from '@berth/shared/worker-registry';
import type { BuildCgroups } from './build/build-cgroups.ts';
import { ScriptNodeBaseImages } from './build/node-base-images.ts';
import type { WorkerConfig } from './config.ts';
import { subscribeToControl } from './control-subscription.ts';
import { closeWithinGrace, createDeploymentWorker } from './deployment-job-worker.ts';
import { DeploymentRunner } from './deployment-runner.ts';
import type { ContainerRuntime } from './docker/container-runtime.ts';
import { runtimeFor } from './docker/runtime-for.ts';
import { LogSink, maskableSecrets } from './log-sink.ts';
import { Reaper } from './reaper.ts';
import { ReplicaReconciler } from './replica-reconciler.ts';
import { ReplicaStore } from '@berth/shared/replica-store';
import { WebhookSender } from './webhooks/webhook-sender.ts';
import { WebhookStore } from '@berth/shared/webhook-store';
import { RuntimeLogFollower } from './runtime-logs.ts';
import { extractArchive } from './source/archive-source.ts';
import { cloneRepository } from './source/git-source.ts';
import { buildCgroupsFor, checkNetwork } from './startup-checks.ts';
import { WorkerHeartbeat } from './worker-heartbeat.ts';

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
  return startProgram(logger, async (opened) => {
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
    const queue = new Queue<DeploymentJobData>(deploymentQueueName, {
      connection: createRedis(config.REDIS_URL),
      prefix: queuePrefix(config.BERTH_INSTANCE),
    });
    queue.on('error', (err) => logger.warn({ err }, 'reaper queue connection error'));
    opened('reaper queue', () => queue.close().catch(() => {}));

    const status = new RedisStatusPublisher(redis, config.BERTH_INSTANCE);
    const metrics = new WorkerMetrics();
    const metricsPublisher = startMetricsPublisher(redis, config, 'worker', metrics.registry, logger);
    opened('metrics', () => metricsPublisher.stop());
    const parts: PipelineParts = {
      config,
      db,
      redis,
      runtime,
      logger,
      secrets,
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
    await subscribeToControl(config, worker, runtime, logger, opened, (id) => void replicas?.poke(id));
    const webhooks = new WebhookSender({
      webhooks: new WebhookStore(db),
      secrets,
      logger,
      options: {
        redisUrl: config.REDIS_URL,
        instance: config.BERTH_INSTANCE,
        concurrency: config.WEBHOOK_CONCURRENCY,
        timeoutMs: config.WEBHOOK_TIMEOUT_MS,
        attempts: config.WEBHOOK_ATTEMPTS,
        retryBaseMs: config.WEBHOOK_RETRY_BASE_MS,
        sweepMs: config.WEBHOOK_SWEEP_MS,
        allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_HOSTS,
      },
    });
    webhooks.start();
    opened('webhook sender', () => webhooks.close());

    const reaper = new Reaper({
      store: parts.store,
      queries: new ReaperQueries(db),
      runtime,
      buildCgroups,
      queue,
      lifecycle: parts.lifecycle,
      routing: new RoutingStore(db),
      logger,
      options: {
        instance: config.BERTH_INSTANCE,
        graceMs: config.ORPHAN_GRACE_MS,
        drainMs: config.DRAIN_MS,
        releasesKept: config.RELEASES_KEPT,
      },
    });
    runReaperPeriodically(reaper, config, logger, opened);
    return { worker, runtimeLogs, reaper };
  });
}

/** What the runner, the log follower and the reaper share. */
interface PipelineParts {
  config: WorkerConfig;
  db: Db;
  redis: Redis;
  runtime: ContainerRuntime;
  logger: Logger;
  store: DeploymentStore;
  logs: LogStore;
  lifecycle: DeploymentLifecycle;
  secrets: SecretBox;
  status: RedisStatusPublisher;
}

/**
 * Stops a retired release once its drain period is over: one timer per
 * retirement, which runs the reaper's (level-triggered) check. The reaper's
 * periodic run does the same if this worker dies meanwhile.
 */
class DrainTimers {
  private readonly timers = new Set<NodeJS.Timeout>();
  constructor(
    private readonly drainMs: number,
    private readonly retire: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  schedule(): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.retire().catch((err: unknown) => this.logger.warn({ err }, 'stopping drained releases failed; the reaper retries'));
    }, this.drainMs + 50);
    this.timers.add(timer);
  }

  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

type OpenLog = (deployment: DeploymentRow) => Promise<LogSink>;

function createRuntimeLogFollower(parts: PipelineParts, openLog: OpenLog): RuntimeLogFollower {
  const { config, db, redis, runtime, logger, store, logs, lifecycle } = parts;
  return new RuntimeLogFollower({
    runtime,
    redis,
    store,
    logs,
    history: new TransitionHistory(db),
    lifecycle,
    openLog,
    logger,
    options: {
      instance: config.BERTH_INSTANCE,
      retentionLines: config.RUNTIME_LOG_RETENTION_LINES,
      leaseMs: config.RUNTIME_LOG_LEASE_MS,
      discoveryMs: config.RUNTIME_LOG_DISCOVERY_MS,
      checkIntervalMs: config.RUNTIME_CHECK_INTERVAL_MS,
    },
  });
}

function createRunner(
  parts: PipelineParts,
  buildCgroups: BuildCgroups,
  openLog: OpenLog,
  runtimeLogs: RuntimeLogFollower,
  drains: DrainTimers,
): DeploymentRunner {
  const { config, db, runtime, logger, store, lifecycle, secrets, status } = parts;
  return new DeploymentRunner({
    config,
    store,
    archives: new ArchiveStore(db),
    releaseRouting: new ReleaseRouting({ routing: new RoutingStore(db), store, lifecycle, announceRoutes: () => status.announceRoutes() }),
    runtime,
    buildCgroups,
    baseImages: new ScriptNodeBaseImages((ref) => runtime.imageExists(ref)),
    logger,
    lifecycle,
    sources: {
      clone: (options) => cloneRepository({ ...options, allowPrivateHosts: config.GIT_ALLOW_PRIVATE_HOSTS }),
      extract: (data, format, dest, signal) =>
        extractArchive(data, format, dest, {
          maxBytes: config.MAX_EXTRACTED_BYTES,
          maxFiles: config.MAX_EXTRACTED_FILES,
          timeoutMs: config.EXTRACT_TIMEOUT_MS,
          signal,
        }),
    },
    openLog,
    secrets,
    onLive: (id) => void runtimeLogs.follow(id),
    onRetired: () => drains.schedule(),
  });
}

function openDb(config: WorkerConfig, opened: Opened): Db {
  const db = createDb(config.DATABASE_URL);
  opened('database', () => db.destroy());
  return db;
}

/** A deployment's log: numbered, masked, batched into Postgres and onto the events channel. */
function logOpener({ config, redis, logs, logger, secrets: box }: PipelineParts): OpenLog {
  return async (deployment) => {
    // Values of the env and the build env are masked wherever they appear.
    // A snapshot that does not open (the key changed) has no value to mask; the pipeline then fails it.
    const opened = (sealed: string | null, plain: Record<string, string>) => {
      try {
        return box.openOr(sealed, plain);
      } catch {
        return {};
      }
    };
    const buildEnv = opened(deployment.build_env_sealed, {});
    const env = opened(deployment.env_sealed, deployment.env);
    const values = Object.fromEntries([...Object.values(buildEnv), ...Object.values(env)].map((v, i) => [`V${i}`, v]));
    const sink = new LogSink({
      redis,
      logs,
      instance: config.BERTH_INSTANCE,
      deploymentId: deployment.id,
      flushMs: config.LOG_FLUSH_MS,
      secrets: maskableSecrets(values, deployment.git_url),
      maxLines: config.MAX_BUILD_LOG_LINES,
      logger,
    });
    await sink.init();
    return sink;
  };
}

/** Swarm mode: keeps services at their deployments' replica counts (docker mode runs one container each: nothing to do). */
function startReplicaReconciler({ config, db, redis, runtime, logger }: PipelineParts, opened: Opened): ReplicaReconciler | undefined {
  if (config.BERTH_RUNTIME !== 'swarm') return undefined;
  const reconciler = new ReplicaReconciler({
    store: new ReplicaStore({ db, control: new RedisControlPublisher(redis, config.BERTH_INSTANCE) }),
    runtime,
    instance: config.BERTH_INSTANCE,
    logger,
  });
  reconciler.start(config.REPLICA_RESYNC_MS);
  opened('replica reconciler', () => reconciler.stop());
  return reconciler;
}

/** Runs the reaper now and every period; closing waits for a run under way. */
function runReaperPeriodically(reaper: Reaper, config: WorkerConfig, logger: Logger, opened: Opened): void {
  let reaping: Promise<void> = Promise.resolve();
  const reap = () => {
    reaping = reaper.run().catch((err: unknown) => logger.warn({ err }, 'the reaper failed; will retry'));
  };
  reap();
  // The variable keeps its older name: it is configuration people have set.
  const timer = setInterval(reap, config.MAINTENANCE_INTERVAL_MS);
  opened('reaper', async () => {
    clearInterval(timer);
    await reaping;
  });
}
