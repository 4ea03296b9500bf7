import { readFile, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { ArchiveStore } from '@berth/shared/archive-store';
import type { DeploymentRow } from '@berth/shared/db';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import { BerthError } from '@berth/shared/errors';
import { buildCgroupKey, imageTag } from '@berth/shared/docker-names';
import type { Logger } from '@berth/shared/logger';
import type { BuildCgroups } from './build/build-cgroups.ts';
import type { BuildPlan } from './build/detect-build.ts';
import { assertSafeBuild } from './build/base-image-policy.ts';
import { assertNoContainerLabels } from './build/image-labels-check.ts';
import { explainGeneratedBuildFailure, formatBytes, prepareGeneratedBuild, runImageOf } from './build/generated-build.ts';
import { buildWithinLimits } from './build/limited-build.ts';
import { prepareBuildTrust, proxyBuildArgs } from './build/build-trust.ts';
import { releaseConfigOf, type ReleaseConfig } from './build/release-config.ts';
import type { BaseImages } from './build/node-base-images.ts';
import type { WorkerConfig } from './config.ts';
import type { ContainerRuntime } from './docker/container-runtime.ts';
import type { LogSink } from './log-sink.ts';
import { pullPrebuilt, type PrebuiltImageDeps } from './prebuilt-image.ts';
import { resolveContext } from './source/build-context.ts';
import { fetchSource, type Sources } from './source/fetch-source.ts';

/** What the pipeline's image step needs (DeploymentRunner's). */
export interface ImageStepDeps {
  config: WorkerConfig;
  store: DeploymentStore;
  archives: ArchiveStore;
  runtime: ContainerRuntime;
  buildCgroups: BuildCgroups;
  baseImages: BaseImages;
  sources: Sources;
  logger: Logger;
  /** The deployment's `fetching` → `building` change (through the lifecycle). */
  toBuilding: (deploymentId: string) => Promise<unknown>;
}

// The pipeline's image step: the image a deployment starts, built from its source or, for a rollback,
// another release's image again.

/** A release that runs another release's image (a rollback): no source, no build; that release's process types. */
export async function reuseImage(deps: ImageStepDeps, deployment: DeploymentRow, tag: string, log: LogSink): Promise<ReleaseConfig> {
  const source = deployment.release_of!;
  await deps.toBuilding(deployment.id);
  log.system(`starting the image of release ${source} again (no build)`);
  if (!(await deps.runtime.tagImage(imageTag(deps.config.BERTH_INSTANCE, source), tag))) {
    throw new BerthError('IMAGE_GONE', `the image of ${source} is no longer kept; deploy its source again instead`);
  }
  const processes = (await deps.store.get(source))?.processes;
  return processes ? { processes } : {};
}

/**
 * The image a deployment runs, tagged `tag`: its release's again (a rollback), a prebuilt one pulled,
 * or one built from its source. Returns what berth.json asks of it (a rollback: its release's process
 * types; a prebuilt image has no berth.json).
 */
export async function imageFor(
  deps: ImageStepDeps & PrebuiltImageDeps,
  deployment: DeploymentRow,
  tag: string,
  buildEnv: () => Record<string, string>,
  log: LogSink,
  workDir: string,
  signal: AbortSignal,
): Promise<ReleaseConfig> {
  let release: ReleaseConfig = {};
  if (deployment.release_of) release = await reuseImage(deps, deployment, tag, log);
  else if (deployment.source_type === 'image') await pullPrebuilt(deps, deployment, tag, log, signal);
  else release = await buildImage(deps, deployment, tag, buildEnv(), log, workDir, signal);
  await assertNoContainerLabels(deps.runtime, tag); // a rollback's too: its image may predate this check
  return release;
}

/**
 * Fetches the source and builds its image (its Dockerfile, or one generated for what the source is);
 * what the source asks of its release (berth.json's `release` and `processes`, or a Procfile).
 */
export async function buildImage(
  deps: ImageStepDeps,
  deployment: DeploymentRow,
  tag: string,
  buildEnv: Record<string, string>,
  log: LogSink,
  workDir: string,
  signal: AbortSignal,
): Promise<ReleaseConfig> {
  const { config } = deps;
  const id = deployment.id;
  const srcDir = path.join(workDir, 'src');
  const { commit } = await fetchSource(deps, deployment, srcDir, log, signal);
  if (commit) await deps.store.setCommit(id, commit);
  signal.throwIfAborted();

  const { contextDir, hasDockerfile } = await resolveContext(srcDir, deployment.root_dir);
  const trust = await prepareBuildTrust(config, contextDir, hasDockerfile, (line) => log.system(line));
  const release = await releaseConfigOf(contextDir);
  // No Dockerfile: detect what the source is and generate one (a Dockerfile always wins).
  let plan: BuildPlan | undefined;
  let dockerfile: string;
  let dockerfileName = 'Dockerfile';
  if (hasDockerfile) {
    dockerfile = await readFile(path.join(contextDir, 'Dockerfile'), 'utf8');
  } else {
    ({ plan, dockerfile, dockerfileName } = await prepareGeneratedBuild(contextDir, Object.keys(buildEnv), (line) => log.system(line), trust));
  }
  // Before the daemon sees it: the daemon would fetch an ADD URL from the host itself.
  await assertSafeBuild(dockerfile, buildEnv, config);
  await deps.toBuilding(id);
  await deps.baseImages.ensureFor(dockerfile, (line) => log.system(line), signal);
  log.system('building image');
  // One cgroup per attempt: a stalled attempt still running elsewhere must not remove the
  // cgroup this one builds in (Docker would recreate the path with no process limit).
  await buildWithinLimits(deps, buildCgroupKey(config.BERTH_INSTANCE, id, randomBytes(4).toString('hex')), {
    contextDir,
    dockerfile: dockerfileName,
    tag,
    cacheScope: deployment.project,
    // No image labels: each LABEL is one more build step (~0.1 s); the tag names the owner.
    labels: {},
    timeoutMs: config.BUILD_TIMEOUT_MS,
    signal,
    // The proxy as Docker's predefined args (kept out of the image's history); the app's build env wins.
    buildArgs: { ...proxyBuildArgs(config), ...buildEnv },
    // A line of the build's output carries `continues`; the daemon's status lines do not (no window to carry).
    onLine: (line, continues) => log.write('build', line, undefined, continues === undefined ? undefined : { source: 'build', continues }),
  }).catch((err: unknown) => {
    throw plan ? explainGeneratedBuildFailure(err) : err;
  });
  await rm(workDir, { recursive: true, force: true }); // the image has everything now
  if (plan) await logImageSize(deps, tag, runImageOf(plan), log);
  return release;
}

/** The last line of a generated build: how big the image is, and how much of it the app added. */
async function logImageSize(deps: ImageStepDeps, tag: string, base: string, log: LogSink): Promise<void> {
  const [size, baseSize] = await Promise.all([
    deps.runtime.imageSize(tag).catch(() => undefined),
    deps.runtime.imageSize(base).catch(() => undefined),
  ]);
  if (size === undefined) return;
  const added = baseSize === undefined ? '' : `; ${base} is ${formatBytes(baseSize)}, the app adds ${formatBytes(size - baseSize)}`;
  log.system(`image size: ${formatBytes(size)}${added}`);
}
