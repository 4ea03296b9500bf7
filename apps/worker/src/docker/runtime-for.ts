import type { WorkerConfig } from '../config.ts';
import type { ContainerRuntime } from './container-runtime.ts';
import { DockerRuntime } from './docker-runtime.ts';
import { SwarmRuntime } from './swarm-runtime.ts';
/** The container engine named by BERTH_RUNTIME; the rest of the worker does not know which. */
export function runtimeFor(config: WorkerConfig): ContainerRuntime {
  switch (config.BERTH_RUNTIME) {
    case 'docker':
      return new DockerRuntime();
    case 'swarm':
      return new SwarmRuntime({
        registry: config.BERTH_REGISTRY,
        maxReplicas: config.SWARM_MAX_REPLICAS,
        startTimeoutMs: config.HEALTHCHECK_TIMEOUT_MS,
      });
    default: {
      const unknown: never = config.BERTH_RUNTIME;
      throw new Error(`unknown runtime ${String(unknown)}`);
    }
  }
}
