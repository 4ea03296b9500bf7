import type { DeploymentLifecycle } from '@berth/shared/deployment-lifecycle';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import type { LogStore } from '@berth/shared/log-store';
import type { Logger } from '@berth/shared/logger';
import type { Redis } from '@berth/shared/redis';
import type { TransitionHistory } from '@berth/shared/transition-history';
import type { ContainerRuntime } from '../../../apps/worker/src/docker/container-runtime.ts';
import { LogSink } from '@berth/worker/log-sink';
import type { Db } from '@berth/shared/db';
import { RuntimeLogFollowers } from '@berth/shared/runtime-log-followers';
import { RuntimeLogFollower, type RuntimeLogOptions } from '../../../apps/worker/src/runtime-logs.ts';

/** A `RuntimeLogFollower` on these stores, as the worker makes one (logs flushed every `flushMs`). */
export function runtimeFollower(parts: {
  runtime: ContainerRuntime;
  redis: Redis;
  stores: { db: Db; store: DeploymentStore; logs: LogStore; history: TransitionHistory; lifecycle: DeploymentLifecycle };
  logger: Logger;
  options: RuntimeLogOptions;
  flushMs: number;
}): RuntimeLogFollower {
  const { runtime, redis, stores, logger, options, flushMs } = parts;
  return new RuntimeLogFollower({
    runtime,
    redis,
    ...stores,
    followers: new RuntimeLogFollowers(stores.db),
    logger,
    openLog: async (d, follower) => {
      const sink = new LogSink({ redis, logs: stores.logs, instance: options.instance, deploymentId: d.id, flushMs, logger, follower });
      await sink.init();
      return sink;
    },
    options,
  });
}
