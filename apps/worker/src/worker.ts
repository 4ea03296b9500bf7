import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { DeploymentStore } from '@berth/shared/deployment-store';
import { ArchiveStore } from '@berth/shared/archive-store';
import { LogStore } from '@berth/shared/log-store';
import { ReaperQueries } from '@berth/shared/reaper-queries';
import { RoutingStore } from '@berth/shared/routing-store';
import { TransitionHistory } from '@berth/shared/transition-history';
import type { Db } from '@berth/shared/db';
import { BerthError, isBerthError } from '@berth/shared/errors';
import { deploymentQueueName, type DeploymentJobData } from '@berth/shared/jobs';
import type { Logger } from '@berth/shared/logger';
import { createRedis, type Redis } from '@berth/shared/redis';
import type { WorkerConfig } from './config.ts';
import { DeploymentFailedError, DeploymentRunner, shutdownReason } from './deployment-runner.ts';
import type { ContainerRuntime } from './docker/container-runtime.ts';
import { DockerRuntime } from './docker/docker-runtime.ts';
import { CgroupFsBuildCgroups, NoBuildCgroups, type BuildCgroups } from './build/build-cgroups.ts';
import { probeHttp } from './health-check.ts';
import { LogSink, maskableSecrets } from './log-sink.ts';
import { extractArchive } from './source/archive-source.ts';
import { cloneRepository } from './source/git-source.ts';
import { RedisStatusPublisher } from '@berth/shared/status-publisher';
import { decodeControlMessage, RedisControlPublisher } from '@berth/shared/control-messages';
import { DeploymentLifecycle, retryUntilPostgresIsBack } from '@berth/shared/deployment-lifecycle';
import { controlChannel, queuePrefix } from '@berth/shared/redis-keys';
import { removeDeploymentResources } from './docker/deployment-resources.ts';
import { Reaper } from './reaper.ts';
import { RuntimeLogFollower } from './runtime-logs.ts';
import { ScriptNodeBaseImages } from './build/node-base-images.ts';
import type { DeploymentRow } from '@berth/shared/db';

export interface WorkerHandle {
  worker: Worker<DeploymentJobData>;
  runtimeLogs: RuntimeLogFollower;
  reaper: Reaper;
  /** Stops taking jobs, waits up to the grace period for running ones, then closes connections. */
  close(): Promise<void>;
}

/** Wires a BullMQ worker to the deployment pipeline. */
export async function startWorker(deps: {
  config: WorkerConfig;
  db: Db;
  logger: Logger;
  runtime?: ContainerRuntime;
}): Promise<WorkerHandle> {
  const { config, logger } = deps;
  const runtime = deps.runtime ?? new DockerRuntime();
  const network = await runtime.ensureNetwork(config.network);
  if (!network.isolated) {
    // Not fatal: refusing to start would take down deployments, not protect them.
    logger.warn(
      { network: config.network, attached: network.attached },
      `the app network ${config.network} lets containers connect to each other (made by an older Berth) and ` +
        'still has containers attached, so it cannot be replaced now: apps on it are not isolated from each other. ' +
        'Stop those apps (or detach them) and restart the worker to recreate it isolated.',
    );
  }
  const buildCgroups = await buildCgroupsFor(config, runtime);
  // Connections only once the checks above passed: a worker that refuses to start leaks none.
  const redis: Redis = createRedis(config.REDIS_URL);
  const store = new DeploymentStore(deps.db);
  const logs = new LogStore(deps.db);

  const openLog = async (deployment: DeploymentRow) => {
    const sink = new LogSink({
      redis,
      logs,
      instance: config.BERTH_INSTANCE,
      deploymentId: deployment.id,
      flushMs: config.LOG_FLUSH_MS,
      secrets: maskableSecrets(deployment.env, deployment.git_url),
      maxLines: config.MAX_BUILD_LOG_LINES,
      logger,
    });
    await sink.init();
    return sink;
  };
  const lifecycle = new DeploymentLifecycle({
    db: deps.db,
    status: new RedisStatusPublisher(redis, config.BERTH_INSTANCE),
    control: new RedisControlPublisher(redis, config.BERTH_INSTANCE),
    retry: retryUntilPostgresIsBack,
    logger,
  });
  const runtimeLogs = new RuntimeLogFollower({
    runtime,
    redis,
    store,
    logs,
    history: new TransitionHistory(deps.db),
    lifecycle,
    openLog,
    logger,
    options: {
      instance: config.BERTH_INSTANCE,
      retentionLines: config.RUNTIME_LOG_RETENTION_LINES,
      leaseMs: config.RUNTIME_LOG_LEASE_MS,
      discoveryMs: config.RUNTIME_LOG_DISCOVERY_MS,
    },
  });

  const runner = new DeploymentRunner({
    config,
    store,
    archives: new ArchiveStore(deps.db),
    routing: new RoutingStore(deps.db),
    runtime,
    buildCgroups,
    baseImages: new ScriptNodeBaseImages((ref) => runtime.imageExists(ref)),
    logger,
    lifecycle,
    probe: probeHttp,
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
    onLive: (id) => void runtimeLogs.follow(id),
  });

  const worker = new Worker<DeploymentJobData>(
    deploymentQueueName,
    async (job, _token, signal) => {
      const attempts = job.opts.attempts ?? 1;
      const log = logger.child({ deploymentId: job.data.deploymentId, attempt: job.attemptsMade + 1 });
      log.info('deployment job started');
      try {
        await runner.run(job.data.deploymentId, {
          signal: signal ?? new AbortController().signal,
          lastAttempt: job.attemptsMade + 1 >= attempts,
        });
        log.info('deployment job finished');
      } catch (err) {
        log.warn({ err }, 'deployment job failed');
        // The deployment is final (its failure recorded): another attempt could only find it so.
        if (err instanceof DeploymentFailedError) throw new UnrecoverableError(err.message);
        if (isBerthError(err) && !err.retryable) throw new UnrecoverableError(err.message);
        throw err;
      }
    },
    {
      connection: createRedis(config.REDIS_URL),
      prefix: queuePrefix(config.BERTH_INSTANCE),
      concurrency: config.WORKER_CONCURRENCY,
      lockDuration: config.JOB_LOCK_MS,
      stalledInterval: config.JOB_STALLED_INTERVAL_MS,
      maxStalledCount: 2,
    },
  );
  worker.on('error', (err) => logger.error({ err }, 'worker error'));
  await worker.waitUntilReady();
  runtimeLogs.start();

  // Cancel and stop requests from the API reach every worker.
  const control = createRedis(config.REDIS_URL);
  control.on('message', (_channel: string, raw: string) => {
    const message = decodeControlMessage(raw);
    if (!message) {
      logger.warn({ raw: raw.slice(0, 200) }, 'ignoring a malformed control message');
      return;
    }
    if (message.type === 'cancel') {
      if (worker.cancelJob(message.deploymentId, 'canceled by request')) {
        logger.info({ deploymentId: message.deploymentId }, 'aborting the canceled deployment');
      }
    } else if (message.type === 'stop') {
      const { deploymentId } = message;
      void removeDeploymentResources(runtime, config.BERTH_INSTANCE, deploymentId).catch((err: unknown) => logger.warn({ err, deploymentId }, 'removing a stopped deployment failed; the reaper retries'));
    }
  });
  await control.subscribe(controlChannel(config.BERTH_INSTANCE));

  const queue = new Queue<DeploymentJobData>(deploymentQueueName, {
    connection: createRedis(config.REDIS_URL),
    prefix: queuePrefix(config.BERTH_INSTANCE),
  });
  queue.on('error', (err) => logger.warn({ err }, 'reaper queue connection error'));
  const reaper = new Reaper({
    store,
    queries: new ReaperQueries(deps.db),
    runtime,
    buildCgroups,
    queue,
    lifecycle,
    logger,
    options: { instance: config.BERTH_INSTANCE, graceMs: config.ORPHAN_GRACE_MS },
  });
  let reaping: Promise<void> = Promise.resolve();
  const reap = () => {
    reaping = reaper.run().catch((err: unknown) => logger.warn({ err }, 'the reaper failed; will retry'));
  };
  reap();
  // The variable keeps its older name: it is configuration people have set.
  const reaperTimer = setInterval(reap, config.MAINTENANCE_INTERVAL_MS);

  return {
    worker,
    runtimeLogs,
    reaper,
    async close() {
      clearInterval(reaperTimer);
      await reaping;
      await control.quit().catch(() => control.disconnect());
      await runtimeLogs.stop();
      // Stop taking jobs; let running ones finish within the grace period.
      const closing = worker.close();
      const within = (ms: number) =>
        Promise.race([closing.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), ms).unref())]);
      if (!(await within(config.SHUTDOWN_GRACE_MS))) {
        // Abort them: each cleans up and fails its attempt, so BullMQ gives the job to another worker.
        logger.warn('grace period over; handing running jobs back');
        worker.cancelAllJobs(shutdownReason);
        if (!(await within(10_000))) await worker.close(true);
      }
      await queue.close().catch(() => {});
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Checks at start that builds can get their process limit here, rather than building without one. */
async function buildCgroupsFor(config: WorkerConfig, runtime: ContainerRuntime): Promise<BuildCgroups> {
  if (config.BUILD_PIDS_MAX === 0) return new NoBuildCgroups();
  const { cgroupDriver } = await runtime.engineInfo();
  if (cgroupDriver !== 'cgroupfs') {
    throw new BerthError(
      'INTERNAL',
      `BUILD_PIDS_MAX needs Docker's cgroupfs cgroup driver (this daemon uses ${cgroupDriver}); ` +
        'set BUILD_PIDS_MAX=0 to build without a process limit',
    );
  }
  const cgroups = new CgroupFsBuildCgroups(config.BUILD_PIDS_MAX);
  await cgroups.check();
  return cgroups;
}
