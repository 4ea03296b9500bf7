import { BerthError } from '@berth/shared/errors';
import type { Logger } from '@berth/shared/logger';
import type { WorkerConfig } from '../config.ts';
import { BuildStepError, type ContainerRuntime } from '../docker/container-runtime.ts';
import { buildNetworkName } from '../docker/build-network.ts';
import type { BuildCgroups } from './build-cgroups.ts';

export type LimitedBuildOptions = Omit<Parameters<ContainerRuntime['buildImage']>[0], 'limits' | 'leftoverGraceMs'>;

/**
 * Builds inside this build's own limits (memory, CPUs, and a cgroup for the
 * process limit, released afterwards); a failure caused by a limit says which one.
 */
export async function buildWithinLimits(
  deps: { runtime: ContainerRuntime; buildCgroups: BuildCgroups; config: WorkerConfig; logger: Logger },
  key: string,
  options: LimitedBuildOptions,
): Promise<void> {
  const { runtime, buildCgroups, config } = deps;
  const cgroupParent = await buildCgroups.prepare(key);
  try {
    await runtime.buildImage({
      ...options,
      // Not Docker's default bridge: a network where RUN steps cannot reach other builds' (build-network.ts).
      network: buildNetworkName,
      closeHostToNetwork: config.BUILD_HOST_FIREWALL === 'on',
      limits: { memoryBytes: config.BUILD_MEMORY_MB * 1024 * 1024, cpus: config.BUILD_CPUS, cgroupParent },
      leftoverGraceMs: config.BUILD_LEFTOVER_GRACE_MS,
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
    await buildCgroups.release(key).catch((err: unknown) => deps.logger.warn({ err, key }, 'removing the build cgroup failed'));
  }
}
