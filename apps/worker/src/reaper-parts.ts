import type { Queue } from 'bullmq';
import { AuditLog } from '@berth/shared/accounts/audit-log';
import { AuditRetention } from '@berth/shared/accounts/audit-retention';
import type { DeploymentJobData } from '@berth/shared/jobs';
import { PreviewLimits } from '@berth/shared/preview-limits';
import { ReaperQueries } from '@berth/shared/reaper-queries';
import { RoutingStore } from '@berth/shared/routing-store';
import type { BuildCgroups } from './build/build-cgroups.ts';
import { runtimeFor } from './docker/runtime-for.ts';
import { ForeignRuntime } from './foreign-runtime.ts';
import { Reaper } from './reaper.ts';
import type { PipelineParts } from './worker-parts.ts';

/** The reaper: orphans, drained releases, old images and archives. */
export function createReaper({ config, db, runtime, logger, store, lifecycle, secrets }: PipelineParts, buildCgroups: BuildCgroups, queue: Queue<DeploymentJobData>): Reaper {
  const otherRuntime = config.BERTH_RUNTIME === 'docker' ? 'swarm' : 'docker';
  return new Reaper({
    store,
    queries: new ReaperQueries(db),
    runtime,
    buildCgroups,
    queue,
    lifecycle,
    routing: new RoutingStore(db),
    previews: new PreviewLimits(db, lifecycle),
    auditRetention: new AuditRetention(AuditLog.keyedBy(db, secrets), config.AUDIT_RETENTION_DAYS),
    // The other runtime's apps on this node (an installation moved between runtimes).
    foreign: new ForeignRuntime({ runtime: runtimeFor(config, otherRuntime), store, instance: config.BERTH_INSTANCE, logger }),
    logger,
    options: {
      runtime: config.BERTH_RUNTIME,
      instance: config.BERTH_INSTANCE,
      graceMs: config.ORPHAN_GRACE_MS,
      drainMs: config.DRAIN_MS,
      releasesKept: config.RELEASES_KEPT,
      maxPreviews: config.MAX_PREVIEWS_PER_PROJECT,
    },
  });
}
