import type { Queue } from 'bullmq';
import { AuditLog } from '@berth/shared/accounts/audit-log';
import { AuditRetention } from '@berth/shared/accounts/audit-retention';
import type { DeploymentJobData } from '@berth/shared/jobs';
import { PreviewLimits } from '@berth/shared/preview-limits';
import { ReaperQueries } from '@berth/shared/reaper-queries';
import { RoutingStore } from '@berth/shared/routing-store';
import { WorkerRegistry } from '@berth/shared/worker-registry';
import type { BuildCgroups } from './build/build-cgroups.ts';
import type { OwnedContainer } from './docker/container-runtime.ts';
import { joinOwnOverlay } from './docker/foreign-network.ts';
import { runtimeFor } from './docker/runtime-for.ts';
import { ForeignRuntime } from './foreign-runtime.ts';
import { Reaper } from './reaper.ts';
import { hostDocker, type PipelineParts } from './worker-parts.ts';

/** The reaper: orphans, drained releases, old images and archives. */
export function createReaper({ config, db, redis, runtime, logger, store, lifecycle, secrets }: PipelineParts, buildCgroups: BuildCgroups, queue: Queue<DeploymentJobData>): Reaper {
  const otherRuntime = config.BERTH_RUNTIME === 'docker' ? 'swarm' : 'docker';
  return new Reaper({
    store,
    queries: new ReaperQueries(db),
    runtime,
    buildCgroups,
    queue,
    owners: new WorkerRegistry(redis, config.BERTH_INSTANCE),
    lifecycle,
    routing: new RoutingStore(db),
    previews: new PreviewLimits(db, lifecycle),
    auditRetention: new AuditRetention(AuditLog.keyedBy(db, secrets), config.AUDIT_RETENTION_DAYS),
    // The other runtime's apps on this node (an installation moved between runtimes).
    foreign: new ForeignRuntime({
      runtime: runtimeFor(config, otherRuntime),
      store,
      instance: config.BERTH_INSTANCE,
      logger,
      // Swarm mode's Caddy container reaches docker mode's apps only through an overlay of their own.
      ...(config.BERTH_RUNTIME === 'swarm' ? { reach: (app: OwnedContainer) => joinOwnOverlay(hostDocker(), config.BERTH_INSTANCE, app) } : {}),
    }),
    logger,
    options: {
      runtime: config.BERTH_RUNTIME,
      instance: config.BERTH_INSTANCE,
      graceMs: config.ORPHAN_GRACE_MS,
      drainMs: config.DRAIN_MS,
      releasesKept: config.RELEASES_KEPT,
      maxPreviews: config.MAX_PREVIEWS_PER_PROJECT,
      ownerTtlMs: config.WORKER_HEARTBEAT_MS * 3,
    },
  });
}
