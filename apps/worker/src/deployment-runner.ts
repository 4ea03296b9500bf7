import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DeploymentRow } from '@berth/shared/db';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import type { ArchiveStore } from '@berth/shared/archive-store';
import type { ReleaseRouting } from '@berth/shared/release-routing';
import { isFinal, isInFlight, statusesWhere, type DeploymentStatus } from '@berth/shared/deployment-state';
import { BerthError, toBerthError } from '@berth/shared/errors';
import { imageTag } from '@berth/shared/docker-names';
import { removeDeploymentResources } from './docker/deployment-resources.ts';
import type { Logger } from '@berth/shared/logger';
import type { ContainerRuntime } from './docker/container-runtime.ts';
import { startRelease, type ReleaseStartDeps } from './release-start.ts';
import { settlePreviews, type PreviewSettlingDeps } from './preview-settling.ts';
import type { Sources } from './source/fetch-source.ts';
import { imageFor } from './image-step.ts';
import type { BuildCgroups } from './build/build-cgroups.ts';
import type { BaseImages } from './build/node-base-images.ts';
import type { DeploymentLifecycle, TransitionFields } from '@berth/shared/deployment-lifecycle';
import type { LogSink } from './log-sink.ts';
import type { WorkerConfig } from './config.ts';
import { DeploymentFailedError, ProjectBusy, shutdownReason, Superseded } from './attempt-outcomes.ts';
import { sealedPlace, type SecretBox } from '@berth/shared/secret-box';

export interface RunnerDeps extends Pick<ReleaseStartDeps, 'docker' | 'projects' | 'volumes' | 'services' | 'processStore'> {
  config: WorkerConfig;
  store: DeploymentStore;
  archives: ArchiveStore;
  /** Moves the project URL to a healthy release. */
  releaseRouting: Pick<ReleaseRouting, 'moveProjectUrl'>;
  previews: PreviewSettlingDeps['previews'];
  runtime: ContainerRuntime;
  buildCgroups: BuildCgroups;
  /** Makes missing `berth/node:<major>` base images on first use. */
  baseImages: BaseImages;
  sources: Sources;
  /** Every status change goes through it. */
  lifecycle: DeploymentLifecycle;
  openLog: (deployment: DeploymentRow) => Promise<LogSink>;
  /** Opens sealed env snapshots. */
  secrets: SecretBox;
  /** Called once a deployment is live (starts following its runtime output). */
  onLive?: (deploymentId: string) => void;
  /** Called when a release took the project URL from another deployment, which now drains. */
  onRetired?: (deploymentId: string) => void;
  logger: Logger;
}

export interface RunOptions {
  signal: AbortSignal;
  /** False while BullMQ will try again after a retryable failure. */
  lastAttempt: boolean;
}

const inFlight = statusesWhere(isInFlight);

/**
 * The deployment pipeline: fetch → build → release command → start → wait until it answers →
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
    // One build per project at a time: another deployment of it is being built or started.
    const begun = await this.deps.lifecycle.beginAttempt(deploymentId, inFlight, 'fetching');
    if (begun === 'busy') throw new ProjectBusy(current.project);
    if (!begun) {
      logger.info({ deploymentId }, 'deployment moved on before its attempt began; nothing to do');
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
      await this.endFailedAttempt(err, deploymentId, log, workDir, options);
    } finally {
      await log.close().catch((err: unknown) => logger.error({ err, deploymentId }, 'flushing logs failed'));
      await rm(workDir, { recursive: true, force: true });
    }
  }

  /**
   * How an attempt that threw ends: superseded (someone else ended the
   * deployment), handed back (this worker is shutting down), canceled, retried,
   * or failed for good (recorded, then thrown as `DeploymentFailedError`).
   */
  private async endFailedAttempt(
    err: unknown,
    deploymentId: string,
    log: LogSink,
    workDir: string,
    options: RunOptions,
  ): Promise<void> {
    const { logger } = this.deps;
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
  }

  private async pipeline(
    deployment: DeploymentRow,
    log: LogSink,
    workDir: string,
    { signal }: RunOptions,
  ): Promise<void> {
    const { config, secrets } = this.deps;
    const id = deployment.id;
    const retry = deployment.status !== 'queued';
    if (retry) {
      log.system('resuming an interrupted attempt: removing its leftovers');
      await this.cleanUp(id);
    }
    const env = secrets.openOr(deployment.env_sealed, deployment.env, sealedPlace(deployment.project, 'env'));
    const tag = imageTag(config.BERTH_INSTANCE, id);
    const imageDeps = { ...this.deps, toBuilding: (deploymentId: string) => this.transition(deploymentId, ['fetching'], 'building', {}) };
    const buildEnv = () => (deployment.build_env_sealed ? secrets.open(deployment.build_env_sealed, sealedPlace(deployment.project, 'buildEnv')) : {});
    // berth.json's release command and process types (a rollback: its release's types).
    const asked = await imageFor(imageDeps, deployment, tag, buildEnv, log, workDir, signal);
    signal.throwIfAborted();

    await this.transition(id, ['building'], 'starting', { image: tag });
    const size = await this.deps.runtime.imageSize(tag).catch(() => undefined);
    if (size !== undefined) await this.deps.store.setImage(id, { bytes: size });
    const containerId = await startRelease(this.deps, { ...deployment, env }, tag, asked, log, signal);

    log.system('deployment is live');
    await log.flush();
    const running = await this.conclude(id, ['starting'], 'running', { containerId, runtime: config.BERTH_RUNTIME });
    if (!running) return;
    this.deps.onLive?.(id);
    if (running.promote) await this.takeProjectUrl(running, log);
    else await settlePreviews(this.deps, running, log);
  }

  /** Points the project URL here (router-sync switches in one change); the release it left drains. */
  private async takeProjectUrl(running: DeploymentRow, log: LogSink): Promise<void> {
    const previous = await this.deps.releaseRouting.moveProjectUrl(running.project, running.id);
    log.system(previous ? `now serving ${running.project}; ${previous} drains, then stops` : `now serving ${running.project}`);
    await log.flush();
    if (previous) this.deps.onRetired?.(previous);
  }

  /**
   * The last status change of an attempt (live, failed, canceled), then the
   * uploaded archive of a failed or canceled one goes: no attempt can need it again. Only after the change
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
    // A release keeps its archive: redeploying it builds the same source again. The reaper
    // deletes it once the release is past RELEASES_KEPT.
    if (to !== 'running') await this.forgetSource(id);
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
