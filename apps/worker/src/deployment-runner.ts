import { mkdir, readFile, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { DeploymentRow } from '@berth/shared/db';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import type { ArchiveStore } from '@berth/shared/archive-store';
import type { RoutingStore } from '@berth/shared/routing-store';
import { isFinal, isInFlight, statusesWhere, type DeploymentStatus } from '@berth/shared/deployment-state';
import { BerthError, toBerthError, type ErrorCode } from '@berth/shared/errors';
import { labels } from '@berth/shared/labels';
import { buildCgroupKey, containerName, imageTag } from '@berth/shared/docker-names';
import { removeDeploymentResources } from './docker/deployment-resources.ts';
import type { Logger } from '@berth/shared/logger';
import { BuildStepError, type ContainerRuntime } from './docker/container-runtime.ts';
import type { BuildCgroups } from './build/build-cgroups.ts';
import { assertSafeDockerfile } from './build/dockerfile-policy.ts';
import { resolveContext } from './source/build-context.ts';
import type { BaseImages } from './build/node-base-images.ts';
import type { DeploymentLifecycle, TransitionFields } from '@berth/shared/deployment-lifecycle';
import type { LogSink } from './log-sink.ts';
import type { WorkerConfig } from './config.ts';

export interface Sources {
  clone(options: {
    url: string;
    ref: string | null;
    dest: string;
    timeoutMs: number;
    maxBytes: number;
    signal: AbortSignal;
    onLine: (line: string) => void;
  }): Promise<void>;
  /** Unpacks into `dest` (which it creates); stops when `signal` aborts (the job was canceled). */
  extract(data: Buffer, format: 'zip' | 'tar.gz', dest: string, signal: AbortSignal): Promise<{ files: number; bytes: number }>;
}

export interface RunnerDeps {
  config: WorkerConfig;
  store: DeploymentStore;
  archives: ArchiveStore;
  routing: RoutingStore;
  runtime: ContainerRuntime;
  buildCgroups: BuildCgroups;
  /** Makes missing `berth/node:<major>` base images on first use. */
  baseImages: BaseImages;
  sources: Sources;
  /** Every status change goes through it. */
  lifecycle: DeploymentLifecycle;
  openLog: (deployment: DeploymentRow) => Promise<LogSink>;
  probe: (host: string, port: number) => Promise<boolean>;
  /** Called once a deployment is live (starts following its runtime output). */
  onLive?: (deploymentId: string) => void;
  logger: Logger;
}

export interface RunOptions {
  signal: AbortSignal;
  /** False while BullMQ will try again after a retryable failure. */
  lastAttempt: boolean;
}

const inFlight = statusesWhere(isInFlight);

/**
 * Thrown by `run` once a deployment's failure is recorded: the deployment is
 * final, so its job fails without another attempt. The message is masked
 * (the job's failure reason is shown wherever BullMQ jobs are).
 */
export class DeploymentFailedError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'DeploymentFailedError';
  }
}

/** The abort reason a worker gives its jobs when its shutdown grace period is over. */
export const shutdownReason = 'worker shutdown';

/**
 * The deployment pipeline: fetch → build → start → wait until it answers →
 * running. Safe to run again for the same deployment (at-least-once delivery):
 * names are deterministic and leftovers of an earlier attempt are removed first.
 */
export class DeploymentRunner {
  constructor(private readonly deps: RunnerDeps) {}

  async run(deploymentId: string, options: RunOptions): Promise<void> {
    const { store, logger } = this.deps;
    const current = await store.get(deploymentId);
    if (!current) {
      logger.warn({ deploymentId }, 'job for unknown deployment; dropping it');
      return;
    }
    if (!isInFlight(current.status)) {
      logger.info({ deploymentId, status: current.status }, 'deployment is not in flight; nothing to do');
      return;
    }
    const log = await this.deps.openLog(current);
    // A fixed path per deployment: an attempt after a crashed one starts by removing its leftovers.
    const workDir = path.join(os.tmpdir(), `berth-${this.deps.config.BERTH_INSTANCE}-${deploymentId}`);
    await rm(workDir, { recursive: true, force: true });
    await mkdir(workDir, { recursive: true, mode: 0o700 });
    try {
      await this.pipeline(current, log, workDir, options);
    } catch (err) {
      if (err instanceof Superseded) {
        log.system(`stopping: the deployment is already ${err.status}`);
        await this.cleanUp(deploymentId);
        await this.forgetSource(deploymentId);
        return;
      }
      const error = toBerthError(err);
      // Everything is cleaned up before the final status is announced.
      await rm(workDir, { recursive: true, force: true });
      if (options.signal.aborted && options.signal.reason === shutdownReason) {
        // This worker is stopping: leave the deployment in flight for another worker.
        log.system('this worker is shutting down; handing the deployment to another worker');
        await log.flush();
        await this.cleanUp(deploymentId);
        throw new BerthError('INTERNAL', 'worker shut down mid-deployment');
      }
      if (options.signal.aborted) {
        log.system('deployment canceled');
        await log.flush();
        await this.cleanUp(deploymentId);
        await this.conclude(deploymentId, inFlight, 'canceled', {});
        return;
      }
      if (error.retryable && !options.lastAttempt) {
        log.system(`attempt failed (${error.code}): ${error.message}; retrying`);
        await log.flush();
        throw error;
      }
      log.system(`deployment failed (${error.code}): ${error.message}`);
      await log.flush();
      await this.cleanUp(deploymentId).catch((cleanupErr: unknown) =>
        logger.error({ err: cleanupErr, deploymentId }, 'cleanup after failure failed'),
      );
      // Shown by the API like a log line: a builder's message can quote a secret.
      const errorMessage = log.mask(error.message);
      const failed = await this.conclude(deploymentId, inFlight, 'failed', { errorCode: error.code, errorMessage });
      if (error.code === 'INTERNAL') logger.error({ err, deploymentId }, 'deployment failed unexpectedly');
      // Recorded first, then the job fails too (a failed job in BullMQ, not a completed one).
      // Not when someone else ended the deployment meanwhile: nothing failed here.
      if (failed) throw new DeploymentFailedError(error.code, errorMessage);
    } finally {
      await log.close().catch((err: unknown) => logger.error({ err, deploymentId }, 'flushing logs failed'));
      await rm(workDir, { recursive: true, force: true });
    }
  }

  private async pipeline(
    deployment: DeploymentRow,
    log: LogSink,
    workDir: string,
    { signal }: RunOptions,
  ): Promise<void> {
    const { config, runtime, sources } = this.deps;
    const id = deployment.id;
    const retry = deployment.status !== 'queued';
    await this.transition(id, inFlight, 'fetching', {});
    if (retry) {
      log.system('resuming an interrupted attempt: removing its leftovers');
      await this.cleanUp(id);
    }

    const srcDir = path.join(workDir, 'src');
    if (deployment.source_type === 'git') {
      log.system(`cloning ${deployment.git_url}${deployment.git_ref ? ` at ${deployment.git_ref}` : ''}`);
      await mkdir(srcDir);
      await sources.clone({
        url: deployment.git_url!,
        ref: deployment.git_ref,
        dest: srcDir,
        timeoutMs: config.CLONE_TIMEOUT_MS,
        maxBytes: config.MAX_EXTRACTED_BYTES,
        signal,
        onLine: (line) => log.system(line),
      });
    } else {
      const archive = await this.deps.archives.get(id);
      if (!archive) throw new BerthError('INVALID_ARCHIVE', 'the uploaded archive is no longer stored');
      log.system(`extracting ${deployment.archive_format} archive (${archive.length} bytes)`);
      const { files, bytes } = await sources.extract(archive, deployment.archive_format ?? 'zip', srcDir, signal);
      log.system(`extracted ${files} files (${bytes} bytes)`);
    }
    signal.throwIfAborted();

    const contextDir = await resolveContext(srcDir, deployment.root_dir);
    // Before the daemon sees it: the daemon would fetch an ADD URL from the host itself.
    const dockerfile = await readFile(path.join(contextDir, 'Dockerfile'), 'utf8');
    assertSafeDockerfile(dockerfile);
    await this.transition(id, ['fetching'], 'building', {});
    await this.deps.baseImages.ensureFor(dockerfile, (line) => log.system(line), signal);
    const tag = imageTag(config.BERTH_INSTANCE, id);
    const owner = { [labels.instance]: config.BERTH_INSTANCE, [labels.deployment]: id };
    log.system('building image');
    // One cgroup per attempt: a stalled attempt still running elsewhere must not remove the
    // cgroup this one builds in (Docker would recreate the path with no process limit).
    await this.build(buildCgroupKey(config.BERTH_INSTANCE, id, randomBytes(4).toString('hex')), {
      contextDir,
      dockerfile: 'Dockerfile',
      tag,
      // No image labels: each LABEL is one more build step (~0.1 s); the tag names the owner.
      labels: {},
      timeoutMs: config.BUILD_TIMEOUT_MS,
      signal,
      onLine: (line) => log.write('build', line),
    });
    await rm(workDir, { recursive: true, force: true }); // the image has everything now
    signal.throwIfAborted();

    await this.transition(id, ['building'], 'starting', { image: tag });
    const name = containerName(config.BERTH_INSTANCE, id);
    await runtime.ensureNetwork(config.network);
    const { id: containerId, ip } = await runtime.runContainer({
      name,
      image: tag,
      env: { ...deployment.env, PORT: String(deployment.port) },
      labels: { ...owner, [labels.project]: deployment.project, [labels.port]: String(deployment.port) },
      port: deployment.port,
      network: config.network,
      memoryBytes: config.CONTAINER_MEMORY_MB * 1024 * 1024,
      nanoCpus: Math.round(config.CONTAINER_CPUS * 1e9),
    });
    log.system(`container started; waiting for it to answer on port ${deployment.port}`);
    await this.waitUntilAnswering(name, ip, deployment.port, signal, log);

    log.system('deployment is live');
    await log.flush();
    const running = await this.conclude(id, ['starting'], 'running', { containerId });
    if (running) await this.deps.routing.promote(running.project, id);
    if (running) this.deps.onLive?.(id);
  }

  /** Builds inside this build's own limits; a failure caused by a limit says which one. */
  private async build(
    key: string,
    options: Omit<Parameters<ContainerRuntime['buildImage']>[0], 'limits'>,
  ): Promise<void> {
    const { runtime, buildCgroups, config } = this.deps;
    const cgroupParent = await buildCgroups.prepare(key);
    try {
      await runtime.buildImage({
        ...options,
        limits: { memoryBytes: config.BUILD_MEMORY_MB * 1024 * 1024, cpus: config.BUILD_CPUS, cgroupParent },
      });
    } catch (err) {
      if (!(err instanceof BerthError) || err.code !== 'BUILD_FAILED') throw err;
      // The process limit first: a step that cannot fork often fails in other ways too.
      if (await buildCgroups.hitProcessLimit(key).catch(() => false)) {
        throw new BerthError(
          'BUILD_FAILED',
          `the build hit its process limit (BUILD_PIDS_MAX=${config.BUILD_PIDS_MAX}); ${err.message}`,
          { cause: err },
        );
      }
      // 137 = SIGKILL: with a memory limit and no swap, the kernel's OOM killer.
      if (err instanceof BuildStepError && err.exitCode === 137) {
        throw new BerthError(
          'BUILD_FAILED',
          `the build ran out of memory (BUILD_MEMORY_MB=${config.BUILD_MEMORY_MB}); ${err.message}`,
          { cause: err },
        );
      }
      throw err;
    } finally {
      await buildCgroups
        .release(key)
        .catch((err: unknown) => this.deps.logger.warn({ err, key }, 'removing the build cgroup failed'));
    }
  }

  private async waitUntilAnswering(
    name: string,
    ip: string,
    port: number,
    signal: AbortSignal,
    log: LogSink,
  ): Promise<void> {
    const { runtime, config, probe } = this.deps;
    const deadline = Date.now() + config.HEALTHCHECK_TIMEOUT_MS;
    let delay = 25;
    for (let attempt = 0; ; attempt++) {
      signal.throwIfAborted();
      if (ip && (await probe(ip, port))) return;
      const timedOut = Date.now() >= deadline;
      // Check the container itself every other probe, and always before giving up:
      // an app that exits (and is restarted by its policy) must fail as APP_EXITED.
      if (attempt % 2 === 1 || !ip || timedOut) {
        const state = await runtime.inspect(name);
        if (!state || !state.running || state.restarting || state.restartCount > 0) {
          await this.copyContainerOutput(name, log);
          throw new BerthError(
            'APP_EXITED',
            `the app exited (code ${state?.exitCode ?? 'unknown'}) instead of listening on port ${port}`,
          );
        }
      }
      if (timedOut) {
        await this.copyContainerOutput(name, log);
        throw new BerthError(
          'HEALTHCHECK_TIMEOUT',
          `the app did not answer HTTP on port ${port} within ${config.HEALTHCHECK_TIMEOUT_MS} ms`,
        );
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 1.5, 500);
    }
  }

  private async copyContainerOutput(name: string, log: LogSink): Promise<void> {
    const lines = await this.deps.runtime.tailLogs(name, 50).catch(() => []);
    log.system(lines.length ? `last ${lines.length} lines of the app's output:` : 'the app printed nothing');
    for (const line of lines) log.write('runtime', line);
  }

  /**
   * The last status change of an attempt (live, failed, canceled), then the
   * uploaded archive goes: no attempt can need it again. Only after the change
   * is stored: if storing it fails, the job is retried and needs the source.
   * Never on a retry or a hand-over to another worker. Whatever is missed here
   * the reaper deletes (archives of every deployment no longer in flight).
   */
  private async conclude(
    id: string,
    from: DeploymentStatus[],
    to: 'running' | 'failed' | 'canceled',
    fields: TransitionFields,
  ): Promise<DeploymentRow | undefined> {
    const row = await this.transition(id, from, to, fields);
    await this.forgetSource(id);
    return row;
  }

  private async forgetSource(deploymentId: string): Promise<void> {
    await this.deps.archives
      .delete(deploymentId)
      .catch((err: unknown) => this.deps.logger.warn({ err, deploymentId }, 'deleting the archive failed; the reaper retries'));
  }

  private async cleanUp(deploymentId: string): Promise<void> {
    await removeDeploymentResources(this.deps.runtime, this.deps.config.BERTH_INSTANCE, deploymentId);
  }

  /**
   * A status change through the lifecycle (which retries while Postgres is
   * restarting). A change that finds the deployment already final (canceled
   * or failed by someone else meanwhile) stops this attempt.
   */
  private async transition(
    id: string,
    from: DeploymentStatus[],
    to: DeploymentStatus,
    fields: TransitionFields,
  ): Promise<DeploymentRow | undefined> {
    const row = await this.deps.lifecycle.transition(id, from, to, fields);
    if (!row) {
      const now = await this.deps.store.get(id);
      if (now && isFinal(now.status) && !isFinal(to)) throw new Superseded(now.status);
    }
    return row;
  }
}

class Superseded extends Error {
  constructor(readonly status: DeploymentStatus) {
    super(`deployment is already ${status}`);
  }
}
