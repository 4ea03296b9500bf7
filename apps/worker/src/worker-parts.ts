import Docker from 'dockerode';
import { ProjectStore } from '@berth/shared/project-store';
import { VolumeStore } from '@berth/shared/volume-store';
import { ServiceStore } from '@berth/shared/service-store';
import { servicePasswords } from './services/service-passwords.ts';
import { ProcessStore } from '@berth/shared/process-store';
import { ArchiveStore } from '@berth/shared/archive-store';
import { RedisControlPublisher } from '@berth/shared/control-messages';
import type { Db, DeploymentRow } from '@berth/shared/db';
import type { DeploymentLifecycle } from '@berth/shared/deployment-lifecycle';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import type { Opened } from '@berth/shared/program-lifecycle';
import type { LogStore } from '@berth/shared/log-store';
import type { Logger } from '@berth/shared/logger';
import type { Redis } from '@berth/shared/redis';
import { ReleaseRouting } from '@berth/shared/release-routing';
import { ReplicaStore } from '@berth/shared/replica-store';
import { RoutingStore } from '@berth/shared/routing-store';
import type { SecretBox } from '@berth/shared/secret-box';
import type { RedisStatusPublisher } from '@berth/shared/status-publisher';
import { TransitionHistory } from '@berth/shared/transition-history';
import { WebhookStore } from '@berth/shared/webhook-store';
import type { BuildCgroups } from './build/build-cgroups.ts';
import { ScriptNodeBaseImages } from './build/node-base-images.ts';
import type { WorkerConfig } from './config.ts';
import { DeploymentRunner } from './deployment-runner.ts';
import type { ContainerRuntime } from './docker/container-runtime.ts';
import type { DrainTimers } from './drain-timers.ts';
import { PreviewLimits } from '@berth/shared/preview-limits';
import { LogSink, type LogSinkOptions } from './log-sink.ts';
import { RuntimeLogFollowers } from '@berth/shared/runtime-log-followers';
import type { Reaper } from './reaper.ts';
import { ReplicaReconciler } from './replica-reconciler.ts';
import { RuntimeLogFollower } from './runtime-logs.ts';
import { secretsToMask } from './secret-masking.ts';
import { proxyUrls } from './build/build-trust.ts';
import { extractArchive } from './source/archive-source.ts';
import { cloneRepository } from './source/git-source.ts';
import { OutboxNotices } from './webhooks/outbox-notices.ts';
import { WebhookSender } from './webhooks/webhook-sender.ts';
import { VolumeUpkeep } from './volume-upkeep.ts';
import { runEvery } from './run-every.ts';

// How the worker's composition root (worker.ts) makes each of its parts from the configuration.
let sharedDocker: Docker | undefined;
/** One client of this host's Docker for the parts made here (the runner, the metrics sampler, volume upkeep): one connection pool, not one each. */
export function hostDocker(): Docker {
  return (sharedDocker ??= new Docker());
}

/** What the runner, the log follower and the reaper share. */
export interface PipelineParts {
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

export type OpenLog = (deployment: DeploymentRow, follower?: LogSinkOptions['follower']) => Promise<LogSink>;

export function createRuntimeLogFollower(parts: PipelineParts, openLog: OpenLog): RuntimeLogFollower {
  const { config, db, redis, runtime, logger, store, logs, lifecycle } = parts;
  return new RuntimeLogFollower({
    runtime,
    redis,
    store,
    logs,
    history: new TransitionHistory(db),
    lifecycle,
    openLog,
    followers: new RuntimeLogFollowers(db),
    logger,
    options: {
      instance: config.BERTH_INSTANCE,
      retentionLines: config.RUNTIME_LOG_RETENTION_LINES,
      leaseMs: config.RUNTIME_LOG_LEASE_MS,
      discoveryMs: config.RUNTIME_LOG_DISCOVERY_MS,
      checkIntervalMs: config.RUNTIME_CHECK_INTERVAL_MS,
      // Swarm: no health check runs inside the tasks; their liveness is probed from outside (replica-liveness.ts).
      ...(config.BERTH_RUNTIME === 'swarm'
        ? { liveness: { intervalMs: config.REPLICA_PROBE_INTERVAL_MS, failures: config.REPLICA_PROBE_FAILURES, startGraceMs: config.HEALTHCHECK_TIMEOUT_MS } }
        : {}),
    },
  });
}

export function createRunner(
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
    previews: new PreviewLimits(db, lifecycle),
    runtime,
    docker: hostDocker(),
    projects: new ProjectStore(db),
    volumes: new VolumeStore(db),
    services: new ServiceStore(db, secrets),
    processStore: new ProcessStore({ db }),
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

/** A deployment's log: numbered, masked, batched into Postgres and onto the events channel. */
export function logOpener({ config, db, redis, logs, logger, secrets }: PipelineParts): OpenLog {
  return async (deployment, follower) => {
    const sink = new LogSink({
      follower,
      redis,
      logs,
      instance: config.BERTH_INSTANCE,
      deploymentId: deployment.id,
      flushMs: config.LOG_FLUSH_MS,
      secrets: secretsToMask(secrets, deployment, proxyUrls(config), await servicePasswords(db, secrets, deployment.project)),
      maxLines: config.MAX_BUILD_LOG_LINES,
      logger,
    });
    await sink.init();
    return sink;
  };
}

/** Swarm mode: keeps services at their deployments' replica counts (docker mode runs one container each: nothing to do). */
export function startReplicaReconciler({ config, db, redis, runtime, logger }: PipelineParts, opened: Opened): ReplicaReconciler | undefined {
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

/** Runs the reaper (then the volumes' upkeep) now and every period, never two passes at once; closing waits for a run under way. */
export function runReaperPeriodically(reaper: Reaper, config: WorkerConfig, logger: Logger, opened: Opened, db: Db): void {
  const upkeep = createVolumeUpkeep(config, db, logger);
  runEvery('reaper', config.REAPER_INTERVAL_MS, () => reaper.run().then(() => upkeep.run()), { opened, logger });
}

function createVolumeUpkeep(config: WorkerConfig, db: Db, logger: Logger): VolumeUpkeep {
  const upkeep = { instance: config.BERTH_INSTANCE, measureIntervalMs: config.VOLUME_MEASURE_INTERVAL_MS };
  return new VolumeUpkeep({ docker: hostDocker(), volumes: new VolumeStore(db), ...upkeep, logger });
}

/** Sends outgoing webhooks from the outbox (each worker sweeps; a delivery is sent once). */
export function startWebhookSender({ config, db, secrets, logger }: PipelineParts, opened: Opened): void {
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
  // Postgres's notice of a recorded delivery sweeps at once; the timed sweep catches what a lost connection missed.
  const notices = new OutboxNotices({ databaseUrl: config.DATABASE_URL, onNotice: () => webhooks.sweepSoon(), logger });
  void notices.start();
  opened('webhook outbox notices', () => notices.close());
}
