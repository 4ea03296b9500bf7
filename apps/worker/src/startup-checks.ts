import { BerthError } from '@berth/shared/errors';
import type { Logger } from '@berth/shared/logger';
import { CgroupFsBuildCgroups, NoBuildCgroups, type BuildCgroups } from './build/build-cgroups.ts';
import type { WorkerConfig } from './config.ts';
import type { ContainerRuntime } from './docker/container-runtime.ts';

/**
 * Warns (does not refuse) when the app network lets containers reach each other. Swarm mode has
 * no shared app network (each service gets its own), so it is always isolated there.
 */
export async function checkNetwork(config: WorkerConfig, runtime: ContainerRuntime, logger: Logger): Promise<void> {
  const network = await runtime.ensureNetwork(config.network);
  if (network.isolated) return;
  // Not fatal: refusing to start would take down deployments, not protect them.
  logger.warn(
    { network: config.network, attached: network.attached },
    `the app network ${config.network} lets containers connect to each other (made by an older Berth) and ` +
      'still has containers attached, so it cannot be replaced now: apps on it are not isolated from each other. ' +
      'Stop those apps (or detach them) and restart the worker to recreate it isolated.',
  );
}
/** Checks at start that builds can get their process limit here, rather than building without one. */
export async function buildCgroupsFor(config: WorkerConfig, runtime: ContainerRuntime): Promise<BuildCgroups> {
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
