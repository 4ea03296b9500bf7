import type Docker from 'dockerode';
import type { ContainerEvent, EngineInfo } from './container-runtime.ts';
import { ContainerLogs } from './container-logs.ts';
import { unavailable } from './docker-errors.ts';
import { watchDockerEvents } from './docker-events.ts';
import { DockerImages } from './docker-images.ts';

/**
 * This node's own Docker, as both runtimes use it: builds and images, the
 * output of containers, lifecycle events and engine facts. Swarm mode also
 * builds here (then pushes), and its task containers on this node carry the
 * deployment labels, so its events and logs come from here too.
 */
export class NodeDocker {
  readonly images: DockerImages;
  readonly logs: ContainerLogs;

  constructor(readonly docker: Docker) {
    this.images = new DockerImages(docker);
    this.logs = new ContainerLogs(docker);
  }

  async engineInfo(): Promise<EngineInfo> {
    try {
      const info = (await this.docker.info()) as { CgroupDriver?: string };
      return { cgroupDriver: info.CgroupDriver ?? 'unknown' };
    } catch (err) {
      throw unavailable(err, 'asking the Docker daemon about itself');
    }
  }

  watchEvents(instance: string, signal: AbortSignal, onEvent: (event: ContainerEvent) => void): Promise<void> {
    return watchDockerEvents(this.docker, instance, signal, onEvent);
  }
}
