import { labels } from '@berth/shared/labels';
import type { SwarmRuntime } from '../../../apps/worker/src/docker/swarm-runtime.ts';

/** Builds a test app's image (a Dockerfile in `contextDir`) with the runtime's own build, labelled for the instance. */
export async function buildTestImage(runtime: SwarmRuntime, options: { contextDir: string; tag: string; instance: string }): Promise<void> {
  await runtime.buildImage({
    contextDir: options.contextDir,
    dockerfile: 'Dockerfile',
    tag: options.tag,
    labels: { [labels.instance]: options.instance },
    cacheScope: options.tag,
    timeoutMs: 120_000,
    signal: new AbortController().signal,
    onLine: () => {},
    limits: { memoryBytes: 512 * 1024 * 1024, cpus: 1 },
    leftoverGraceMs: 0,
  });
}
