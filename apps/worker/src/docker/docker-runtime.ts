import Docker from 'dockerode';
import { BerthError } from '@berth/shared/errors';
import { ensureIsolatedBridge } from './bridge-network.ts';
import { inspectContainer, listOwnedContainers, removeContainer, startContainer } from './docker-containers.ts';
import { NodeDocker } from './node-docker.ts';
import { removeProcessesOf } from './process-containers.ts';
import type { AppNetwork, BuildImageOptions, ContainerEvent, ContainerRuntime, ContainerState, EngineInfo, FollowLogsOptions, NetworkState, OwnedContainer, ProbeTarget, ReplicaProbe, ReplicaReplacement, ReplicaState, RunContainerOptions, RunningContainer } from './container-runtime.ts';
import { probeHttp } from '../health-check.ts';

/**
 * ContainerRuntime on one Docker Engine: a plain container per deployment,
 * every app on one shared bridge that refuses app-to-app traffic
 * (bridge-network.ts), probed by this host directly. Images, logs, events and
 * engine facts are this node's Docker (node-docker.ts), as in swarm mode.
 */
export class DockerRuntime implements ContainerRuntime {
  private readonly node: NodeDocker;

  constructor(private readonly docker: Docker = new Docker()) {
    this.node = new NodeDocker(docker);
  }

  engineInfo(): Promise<EngineInfo> {
    return this.node.engineInfo();
  }

  ensureNetwork(name: string): Promise<NetworkState> {
    return ensureIsolatedBridge(this.docker, name);
  }

  /** Async, so that a refused replica count is a rejection, as every engine failure is. */
  async runContainer(options: RunContainerOptions): Promise<{ id: string; ip: string }> {
    assertOneReplica(options.replicas);
    return startContainer(this.docker, options);
  }

  async replicas(name: string): Promise<ReplicaState | undefined> {
    const state = await this.inspect(name);
    return state && { desired: 1, running: state.running ? 1 : 0 };
  }

  /** One container per deployment: there is nothing to scale (the API refuses more than one in docker mode). */
  async scale(_name: string, replicas: number): Promise<void> {
    assertOneReplica(replicas);
  }

  inspect(nameOrId: string): Promise<ContainerState | undefined> {
    return inspectContainer(this.docker, nameOrId);
  }

  tailLogs(nameOrId: string, lines: number): Promise<string[]> {
    return this.node.logs.tail(nameOrId, lines);
  }

  followLogs(nameOrId: string, options: FollowLogsOptions): Promise<void> {
    return this.node.logs.follow(nameOrId, options);
  }

  async listRunning(instance: string): Promise<RunningContainer[]> {
    return (await this.listAll(instance)).filter((c) => c.running).map(({ name, deploymentId }) => ({ name, deploymentId }));
  }

  listAll(instance: string): Promise<OwnedContainer[]> {
    return listOwnedContainers(this.docker, instance);
  }

  watchEvents(instance: string, signal: AbortSignal, onEvent: (event: ContainerEvent) => void): Promise<void> {
    return this.node.watchEvents(instance, signal, onEvent);
  }

  /** The deployment's container and its processes besides web (process-containers.ts). */
  async removeApp(name: string): Promise<void> {
    await removeContainer(this.docker, name);
    await removeProcessesOf(this.docker, name);
  }

  buildImage(options: BuildImageOptions): Promise<void> {
    return this.node.images.build(options);
  }

  imageExists(ref: string): Promise<boolean> {
    return this.node.images.exists(ref);
  }

  listImages(instance: string): Promise<string[]> {
    return this.node.images.list(instance);
  }

  removeImage(tag: string): Promise<void> {
    return this.node.images.remove(tag);
  }

  tagImage(source: string, target: string): Promise<boolean> {
    return this.node.images.tag(source, target);
  }

  imageSize(tag: string): Promise<number | undefined> {
    return this.node.images.size(tag);
  }

  imageLabels(tag: string): Promise<Record<string, string>> {
    return this.node.images.labels(tag);
  }

  /** The host reaches the app network directly (see bridge-network.ts). */
  async probeApp({ ip, port, path }: ProbeTarget): Promise<boolean> {
    return ip ? probeHttp(ip, port, path) : false;
  }

  /** The host dials the container directly: nothing was opened for the probes. */
  async endProbes(_name: string): Promise<void> {}

  /** Not watched in docker mode: the one container is restarted by its policy when it exits. */
  async probeReplicas(): Promise<ReplicaProbe[]> {
    return [];
  }

  async replaceReplica(): Promise<ReplicaReplacement> {
    return 'gone';
  }

  /** One shared (isolated) network for every app: none is a deployment's own. */
  async listAppNetworks(_instance: string): Promise<AppNetwork[]> {
    return [];
  }

  async close(): Promise<void> {}
}

function assertOneReplica(replicas: number): void {
  if (replicas !== 1) {
    throw new BerthError('REPLICAS_NEED_SWARM', `docker mode runs one container per deployment, not ${replicas} (BERTH_RUNTIME=swarm runs several)`);
  }
}
