import { containerName, imageTag } from '@berth/shared/docker-names';
import type { ContainerRuntime } from './container-runtime.ts';

/**
 * Removes what a deployment left in Docker: its container, then its image
 * (Docker keeps an image while a container uses it). Idempotent: gone already
 * is done. The runner (before an attempt and after a failure), the stop
 * request and the reaper all clean up through this.
 */
export async function removeDeploymentResources(runtime: ContainerRuntime, instance: string, deploymentId: string): Promise<void> {
  await runtime.removeApp(containerName(instance, deploymentId));
  await runtime.removeImage(imageTag(instance, deploymentId));
}
