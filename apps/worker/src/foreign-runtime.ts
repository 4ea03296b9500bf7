import { isFinal } from '@berth/shared/deployment-state';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import type { Logger } from '@berth/shared/logger';
import type { ContainerRuntime, OwnedContainer } from './docker/container-runtime.ts';

export type RuntimeName = 'docker' | 'swarm';

/**
 * The apps on this node that the other runtime started: an installation moved
 * from docker mode to swarm mode (or back) keeps the apps it was running, served
 * as before, until `berth migrate-runtime` moves them or they are redeployed
 * (issue 26). The reaper leaves the live ones alone and removes those whose
 * deployment is over (replaced by a move, stopped). Reading them never fails a
 * pass: a Docker that is in no swarm has no services, which is "none".
 */
export class ForeignRuntime {
  constructor(
    private readonly deps: {
      /** The other runtime, on this node's Docker. */
      runtime: ContainerRuntime;
      store: Pick<DeploymentStore, 'statuses'>;
      instance: string;
      logger: Logger;
      /** Makes a live app of the other runtime reachable by this runtime's router (swarm: an overlay of its own). */
      reach?: (app: OwnedContainer) => Promise<void>;
    },
  ) {}

  /** This node's apps of the other runtime; none when it is not there. */
  async list(): Promise<OwnedContainer[]> {
    try {
      return await this.deps.runtime.listAll(this.deps.instance);
    } catch {
      return [];
    }
  }

  /** Keeps the live ones reachable by this runtime's router; a failure is retried by the next pass. */
  async keepReachable(apps: OwnedContainer[]): Promise<void> {
    const { store, reach, logger } = this.deps;
    if (!reach) return;
    const statuses = await store.statuses(apps.map((a) => a.deploymentId));
    for (const app of apps.filter((a) => !a.process && a.running && statuses.get(a.deploymentId) === 'running')) {
      await reach(app).catch((err: unknown) => logger.warn({ err, deploymentId: app.deploymentId }, "could not make the other runtime's app reachable"));
    }
  }

  /** Removes the other runtime's apps whose deployment is final (or unknown). */
  async removeFinished(apps: OwnedContainer[]): Promise<void> {
    const { store, runtime, logger } = this.deps;
    const statuses = await store.statuses(apps.map((a) => a.deploymentId));
    for (const app of apps) {
      const s = statuses.get(app.deploymentId);
      if (s !== undefined && !isFinal(s)) continue;
      try {
        await runtime.removeApp(app.name);
        logger.info({ deploymentId: app.deploymentId, status: s ?? 'unknown' }, "removed the other runtime's app of a finished deployment");
      } catch (err) {
        logger.warn({ err, deploymentId: app.deploymentId }, "removing the other runtime's app failed; the next pass tries again");
      }
    }
  }
}
