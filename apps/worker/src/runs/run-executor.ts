import type Docker from 'dockerode';
import type { DeploymentRow, RunRow } from '@berth/shared/db';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import { runContainerName } from '@berth/shared/docker-names';
import { labels } from '@berth/shared/labels';
import type { Logger } from '@berth/shared/logger';
import type { Redis } from '@berth/shared/redis';
import type { RunLogStore } from '@berth/shared/run-log-store';
import type { RunEnd, RunStore } from '@berth/shared/run-store';
import { sealedPlace, type SecretBox } from '@berth/shared/secret-box';
import type { ServiceStore } from '@berth/shared/service-store';
import type { VolumeStore } from '@berth/shared/volume-store';
import { proxyUrls } from '../build/build-trust.ts';
import { carriedContainerLabels } from '../build/image-labels-check.ts';
import type { WorkerConfig } from '../config.ts';
import { ensureIsolatedBridge } from '../docker/bridge-network.ts';
import type { ContainerRuntime } from '../docker/container-runtime.ts';
import { appLimits, runOnce } from '../docker/run-once.ts';
import { LogSink } from '../log-sink.ts';
import { projectMounts } from '../release-start.ts';
import { assertMountsHere } from '../docker/swarm-volume-node.ts';
import { passwordsOf } from '../services/service-passwords.ts';
import { serviceLinks } from '../services/service-links.ts';
import { secretsToMask } from '../secret-masking.ts';

export interface RunExecutorDeps {
  config: WorkerConfig;
  docker: Docker;
  runtime: Pick<ContainerRuntime, 'imageExists' | 'imageLabels'>;
  store: Pick<DeploymentStore, 'get'>;
  runs: Pick<RunStore, 'start' | 'finish' | 'cancelRequested'>;
  runLogs: Pick<RunLogStore, 'append' | 'maxSeq'>;
  volumes: Pick<VolumeStore, 'forProject' | 'pinToNode'>;
  services: Pick<ServiceStore, 'forProject' | 'password'>;
  secrets: SecretBox;
  redis: Redis;
  logger: Logger;
}

/** How often a running run's row is read for a cancel request. */
const cancelPollMs = 500;

/**
 * Executes a queued run: its release's image, env and volumes, confined like the app
 * (run-once.ts), its output into its own exactly-once log; records how it ended. A run that is
 * not queued any more (canceled while it waited, or taken by a worker that died: see
 * `takeOver`) is not executed.
 */
export async function executeRun(deps: RunExecutorDeps, runId: string): Promise<RunRow | undefined> {
  const run = await deps.runs.start(runId, deps.config.workerName);
  if (!run) return undefined;
  const deployment = run.deployment_id ? await deps.store.get(run.deployment_id) : undefined;
  if (!deployment?.image) return deps.runs.finish(run.id, { status: 'failed', errorCode: 'NO_RELEASE', errorMessage: 'the release this run was to use is gone' });
  if (!(await deps.runtime.imageExists(deployment.image))) {
    return deps.runs.finish(run.id, { status: 'failed', errorCode: 'RUN_IMAGE_GONE', errorMessage: `the image of release ${deployment.id} is gone; deploy again` });
  }
  // An image built before releases were checked for Berth's container labels (image-labels-check.ts).
  const carried = carriedContainerLabels(await deps.runtime.imageLabels(deployment.image));
  if (carried.length) return deps.runs.finish(run.id, { status: 'failed', errorCode: 'IMAGE_REFUSED', errorMessage: `the release's image carries labels Berth gives its own containers (${carried.join(', ')}); deploy again without them` });
  const log = await openRunLog(deps, run, deployment);
  let end: RunEnd;
  try {
    end = await runInContainer(deps, run, deployment, log);
  } catch (err) {
    deps.logger.warn({ err, runId }, 'a run failed to run');
    end = { status: 'failed', errorCode: 'RUN_FAILED', errorMessage: err instanceof Error ? log.mask(err.message) : 'the run failed' };
  }
  log.system(endLine(end));
  await log.close();
  return deps.runs.finish(run.id, end);
}

async function runInContainer(deps: RunExecutorDeps, run: RunRow, deployment: DeploymentRow, log: LogSink): Promise<RunEnd> {
  const { config, docker, secrets } = deps;
  const env = secrets.openOr(deployment.env_sealed, deployment.env, sealedPlace(deployment.project, 'env'));
  const mounts = await projectMounts(deps, deployment, log);
  assertMountsHere(mounts, `run ${run.id}`); // swarm mode: a plain container of this node's
  const links = await serviceLinks(deps, deployment, log); // the project's services: URLs in the env (its own env wins), their network
  log.system(`running in release ${deployment.id}: ${run.command}`);
  await log.flush();
  await ensureIsolatedBridge(docker, config.network);
  const canceled = new AbortController();
  const poll = setInterval(() => {
    void deps.runs.cancelRequested(run.id).then((yes) => yes && canceled.abort(), () => {});
  }, cancelPollMs);
  try {
    const { exitCode, timedOut } = await runOnce(docker, {
      name: runContainerName(config.BERTH_INSTANCE, run.id),
      image: deployment.image!,
      command: run.command,
      env: { ...links.env, ...env, PORT: String(deployment.port) },
      labels: { [labels.instance]: config.BERTH_INSTANCE, [labels.project]: run.project, [labels.run]: run.id },
      mounts,
      ...appLimits(config),
      extraNetworks: links.networks,
      timeoutMs: run.timeout_ms,
      signal: canceled.signal,
      onLine: (l) => log.write('runtime', l.line, l.ts, l.continues === undefined ? undefined : { source: l.source ?? 'stdout', continues: l.continues }),
    });
    if (timedOut) return { status: 'failed', errorCode: 'RUN_TIMED_OUT', errorMessage: `killed after ${run.timeout_ms} ms (its timeout)` };
    if (exitCode === 0) return { status: 'succeeded', exitCode };
    return { status: 'failed', exitCode: exitCode ?? null, errorCode: 'RUN_FAILED', errorMessage: `exited with code ${exitCode}` };
  } catch (err) {
    if (canceled.signal.aborted) return { status: 'canceled', errorCode: 'CANCELED', errorMessage: 'canceled by request while it ran' };
    throw err;
  } finally {
    clearInterval(poll);
  }
}

function endLine(end: RunEnd): string {
  if (end.status === 'succeeded') return 'exited with code 0';
  return end.errorMessage ?? end.status;
}

async function openRunLog(deps: RunExecutorDeps, run: RunRow, deployment: DeploymentRow): Promise<LogSink> {
  const { config, redis, runLogs, logger, secrets } = deps;
  const sink = new LogSink({
    redis,
    logs: runLogs,
    instance: config.BERTH_INSTANCE,
    deploymentId: run.id,
    flushMs: config.LOG_FLUSH_MS,
    // The env's values and the project's services' passwords (a command that prints DATABASE_URL).
    secrets: secretsToMask(secrets, deployment, proxyUrls(config), await passwordsOf(deps.services, deployment.project)),
    logger,
  });
  await sink.init();
  return sink;
}
