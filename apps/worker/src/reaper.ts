import type { Queue } from 'bullmq';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import type { ReaperQueries } from '@berth/shared/reaper-queries';
import { isFinal, isInFlight, statusesWhere } from '@berth/shared/deployment-state';
import { enqueueDeployment, type DeploymentJobData } from '@berth/shared/jobs';
import { buildCgroupPrefix, containerName, parseBuildCgroupKey, parseImageTag } from '@berth/shared/docker-names';
import type { Logger } from '@berth/shared/logger';
import type { DeploymentLifecycle } from '@berth/shared/deployment-lifecycle';
import type { ContainerRuntime, OwnedContainer } from './docker/container-runtime.ts';
import type { BuildCgroups } from './build/build-cgroups.ts';
import type { RoutingStore } from '@berth/shared/routing-store';
import type { PreviewLimits } from '@berth/shared/preview-limits';
import type { AuditRetention } from '@berth/shared/accounts/audit-retention';
import type { ForeignRuntime, RuntimeName } from './foreign-runtime.ts';

export interface ReaperOptions {
  instance: string;
  /** How long a deployment may sit in a state before the reaper looks at it. */
  graceMs: number;
  /** How long a release that lost its project URL keeps serving before it is stopped. */
  drainMs: number;
  /** Releases per project whose images and archives are kept. */
  releasesKept: number;
  /** Previews per project that run at once (MAX_PREVIEWS_PER_PROJECT). */
  maxPreviews: number;
  /** The runtime this worker runs (BERTH_RUNTIME): deployments the other one started are left to it. */
  runtime: RuntimeName;
  /**
   * How long an in-flight deployment must be seen with neither a live job nor a worker that says it runs it
   * before it fails ORPHANED: a heartbeat's life (three WORKER_HEARTBEAT_MS), so that a registry Redis
   * lost fills again first.
   */
  ownerTtlMs: number;
}

/** Who says they run a deployment's job now (the workers' heartbeats: WorkerRegistry). */
export interface DeploymentOwners {
  runningDeployments(): Promise<ReadonlySet<string>>;
}

/**
 * Level-triggered clean-up, run by every worker at start and then
 * periodically (safe to run concurrently: every change is a compare-and-set,
 * every removal idempotent):
 * - in-flight deployments no live job owns: `queued` ones are enqueued again,
 *   later ones fail with ORPHANED once no worker has said it runs them for a
 *   heartbeat's life (Redis restarted without its data loses the jobs of
 *   builds that live workers go on with; their heartbeats come back);
 * - `running` deployments whose container is gone or stopped become `crashed`
 *   (not those the other runtime started: they keep running until moved, foreign-runtime.ts);
 * - previews are settled (a branch's older ones retired, the oldest beyond
 *   MAX_PREVIEWS_PER_PROJECT stopped; see PreviewLimits), then releases that
 *   lost their project URL (or their branch URL) more than DRAIN_MS ago are stopped;
 * - containers of deployments that are final (or unknown) are removed (swarm:
 *   with their network, and a network left without its service); so are
 *   their images, except those of the releases kept for rollback
 *   (RELEASES_KEPT per project);
 * - uploaded archives of deployments no longer in flight are deleted, except
 *   those of the releases kept (redeploy builds them again).
 * - so are build cgroups of such deployments (a worker killed mid-build leaves its cgroup).
 */
export class Reaper {
  /** In-flight deployments seen with no job and no owner, and since when (ms). */
  private readonly unowned = new Map<string, number>();

  constructor(
    private readonly deps: {
      store: DeploymentStore;
      queries: ReaperQueries;
      runtime: ContainerRuntime;
      buildCgroups: BuildCgroups;
      queue: Queue<DeploymentJobData>;
      owners: DeploymentOwners;
      lifecycle: DeploymentLifecycle;
      routing: RoutingStore;
      previews: Pick<PreviewLimits, 'settleAll'>;
      /** The audit log's retention (absent: not pruned here). */
      auditRetention?: Pick<AuditRetention, 'runIfDue'>;
      /** The other runtime's apps on this node (absent: none are looked for). */
      foreign?: ForeignRuntime;
      options: ReaperOptions;
      logger: Logger;
    },
  ) {}

  async run(): Promise<void> {
    await this.settlePreviews();
    await this.retireDrained();
    await this.reapOrphans();
    await this.reconcileContainers();
    await this.deleteSpentArchives();
    await this.removeBuildCgroups();
    await this.deps.queries.pruneDeliveries(30 * 24 * 3600 * 1000);
    const removed = await this.deps.auditRetention?.runIfDue();
    if (removed) this.deps.logger.info({ removed }, 'pruned audit log rows past AUDIT_RETENTION_DAYS');
  }

  /** Stops the releases whose drain period is over (their project URL moved to a newer one). */
  async retireDrained(): Promise<void> {
    const { routing, lifecycle, options, logger } = this.deps;
    for (const id of await routing.drained(options.drainMs)) {
      await lifecycle.stop(id);
      logger.info({ deploymentId: id }, 'stopped a release after its drain period');
    }
  }

  private async settlePreviews(): Promise<void> {
    const { retired, stopped } = await this.deps.previews.settleAll(this.deps.options.maxPreviews);
    if (retired.length + stopped.length > 0) this.deps.logger.info({ retired, stopped }, 'settled previews (one per branch, a limit per project)');
  }

  private async deleteSpentArchives(): Promise<void> {
    const { queries, logger, options } = this.deps;
    const ids = await queries.deleteSpentArchives(options.releasesKept);
    if (ids.length > 0) logger.info({ deploymentIds: ids }, 'deleted archives of deployments no longer in flight');
  }

  private async removeBuildCgroups(): Promise<void> {
    const { store, buildCgroups, options, logger } = this.deps;
    const owned = (await buildCgroups.list(buildCgroupPrefix(options.instance))).flatMap((key) => {
      const deploymentId = parseBuildCgroupKey(options.instance, key);
      return deploymentId ? [{ key, deploymentId }] : [];
    });
    if (owned.length === 0) return;
    // Only once the deployment is final: an attempt that lost its lock may still be building.
    const statuses = await store.statuses(owned.map((o) => o.deploymentId));
    for (const { key, deploymentId } of owned) {
      const s = statuses.get(deploymentId);
      if (s !== undefined && !isFinal(s)) continue;
      await buildCgroups.release(key).catch((err: unknown) => logger.warn({ err, key }, 'removing a build cgroup failed'));
    }
  }

  private async reapOrphans(): Promise<void> {
    const { queries, queue, lifecycle, logger } = this.deps;
    const seen = new Set<string>();
    let owned: ReadonlySet<string> | undefined;
    for (const d of await queries.stale(statusesWhere(isInFlight), this.deps.options.graceMs)) {
      const job = await queue.getJob(d.id);
      const state = job ? await job.getState() : 'missing';
      if (state === 'active' || state === 'waiting' || state === 'delayed' || state === 'prioritized' || state === 'waiting-children') {
        continue; // a live job owns it; BullMQ's stalled check covers a dead worker
      }
      if (d.status === 'queued' && state === 'missing') {
        await enqueueDeployment(queue, d.id);
        logger.warn({ deploymentId: d.id }, 'queued deployment had no job; enqueued it again');
        continue;
      }
      owned ??= await this.deps.owners.runningDeployments();
      seen.add(d.id);
      if (owned.has(d.id) || !this.unownedLongEnough(d.id)) continue;
      const row = await lifecycle.transition(d.id, [d.status], 'failed', {
        errorCode: 'ORPHANED',
        errorMessage: `the deployment was ${d.status} but no worker owned it any more (job ${state})`,
      });
      if (row) {
        logger.warn({ deploymentId: d.id, was: d.status, job: state }, 'failed an orphaned deployment');
      }
    }
    for (const id of this.unowned.keys()) if (!seen.has(id) || owned?.has(id)) this.unowned.delete(id);
  }

  /** True once `id` has gone unowned for ownerTtlMs (counted from the first pass that found it so). */
  private unownedLongEnough(id: string): boolean {
    const now = Date.now();
    const since = this.unowned.get(id) ?? now;
    this.unowned.set(id, since);
    return now - since >= this.deps.options.ownerTtlMs;
  }

  /**
   * Running deployments whose container vanished altogether become `crashed`; not those the other
   * runtime started (recorded, or, on rows older than the record, found on this node), which stay live.
   */
  private async markVanished(containers: OwnedContainer[], foreignApps: OwnedContainer[]): Promise<void> {
    const { queries, lifecycle, options, logger } = this.deps;
    const present = new Set([...containers, ...foreignApps].filter((c) => !c.process).map((c) => c.deploymentId));
    for (const d of await queries.stale(['running'], options.graceMs)) {
      if (present.has(d.id) || (d.runtime !== null && d.runtime !== options.runtime)) continue;
      await lifecycle.transition(d.id, ['running'], 'crashed');
      logger.warn({ deploymentId: d.id, container: containerName(options.instance, d.id) }, 'container of a running deployment is gone');
    }
  }

  private async reconcileContainers(): Promise<void> {
    const { store, queries, runtime, lifecycle, options, logger, foreign } = this.deps;
    // The other runtime's apps first: a finished one goes before its network (swarm) is looked at.
    const foreignApps = (await foreign?.list()) ?? [];
    await foreign?.removeFinished(foreignApps);
    await foreign?.keepReachable(foreignApps);
    const containers = await runtime.listAll(options.instance);
    const statuses = await store.statuses(containers.map((c) => c.deploymentId));
    for (const c of containers) {
      const s = statuses.get(c.deploymentId);
      if (s === undefined || isFinal(s)) {
        await runtime.removeApp(c.name);
        logger.info({ deploymentId: c.deploymentId, status: s ?? 'unknown' }, 'removed the container of a finished deployment');
      } else if (s === 'running' && !c.running && !c.process) {
        // (A process besides web may be stopped on purpose: stop-first for the next release.)
        // The list was taken before the statuses were read: a container listed while it was
        // still being created may be running (and its deployment live) by now. Look again.
        const now = await runtime.inspect(c.name);
        if (now && !now.running) await lifecycle.transition(c.deploymentId, ['running'], 'crashed');
      }
    }
    // Swarm: networks of deployments that are final (or unknown) whose service is gone already
    // (a removal that timed out waiting for the tasks, a worker killed between the two).
    const networks = (await runtime.listAppNetworks(options.instance)).filter((n) => !containers.some((c) => c.name === n.service));
    const networkStatuses = await store.statuses(networks.map((n) => n.deploymentId));
    for (const n of networks) {
      const s = networkStatuses.get(n.deploymentId);
      if (s !== undefined && !isFinal(s)) continue; // in flight: made before its service, or the service is on its way
      await runtime.removeApp(n.service);
      logger.info({ deploymentId: n.deploymentId, status: s ?? 'unknown' }, 'removed the network of a finished deployment');
    }
    await this.markVanished(containers, foreignApps);
    // Images of deployments that are final (or unknown), except the releases kept for rollback.
    const images = (await runtime.listImages(options.instance)).flatMap((tag) => {
      const deploymentId = parseImageTag(options.instance, tag);
      return deploymentId ? [{ tag, deploymentId }] : [];
    });
    const imageStatuses = await store.statuses(images.map((i) => i.deploymentId));
    const kept = await queries.keptReleases(options.releasesKept);
    for (const { tag, deploymentId } of images) {
      const s = imageStatuses.get(deploymentId);
      if (s !== undefined && (!isFinal(s) || kept.has(deploymentId))) continue;
      try {
        await runtime.removeImage(tag);
      } catch (err) {
        // Swarm: the registry's copy goes first and may fail (down, deletes not allowed); the next pass tries again.
        logger.warn({ err, deploymentId }, 'could not remove the image of a deployment no longer kept');
        continue;
      }
      if (s !== undefined) await store.setImage(deploymentId, null);
      logger.info({ deploymentId, status: s ?? 'unknown' }, 'removed the image of a deployment no longer kept');
    }
  }
}
