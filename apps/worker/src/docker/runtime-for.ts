import { nodeRuntimes } from '@berth/shared/node-runtimes';
import type { WorkerConfig } from '../config.ts';
import type { ContainerRuntime } from './container-runtime.ts';
import { DockerRuntime } from './docker-runtime.ts';
import { SwarmRuntime } from './swarm-runtime.ts';
/**
 * The container engine named by BERTH_RUNTIME; the rest of the worker does not know which.
 * (`name`: the other one, whose apps the reaper leaves alone or removes once finished.)
 */
export function runtimeFor(config: WorkerConfig, name: WorkerConfig['BERTH_RUNTIME'] = config.BERTH_RUNTIME): ContainerRuntime {
  switch (name) {
    case 'docker':
      return new DockerRuntime();
    case 'swarm':
      return new SwarmRuntime({
        registry: config.BERTH_REGISTRY,
        maxReplicas: config.SWARM_MAX_REPLICAS,
        startTimeoutMs: config.HEALTHCHECK_TIMEOUT_MS,
        credentials: config.registryCredentials,
        prober: {
          instance: config.BERTH_INSTANCE,
          workerName: config.workerName,
          // The image every Berth installation makes first (npm run up, the tests).
          image: `berth/node:${nodeRuntimes.pinned}`,
          idleMs: 10 * 60_000,
        },
      });
    default: {
      const unknown: never = name;
      throw new Error(`unknown runtime ${String(unknown)}`);
    }
  }
}
