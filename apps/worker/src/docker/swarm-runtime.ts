import { setTimeout as delay } from 'node:timers/promises';
import Docker from 'dockerode';
import { BerthError } from '@berth/shared/errors';
import { labels } from '@berth/shared/labels';
import { imageTag, parseImageTag } from '@berth/shared/docker-names';
import type { AppNetwork, BuildImageOptions, ContainerEvent, ContainerRuntime, ContainerState, EngineInfo, FollowLogsOptions, NetworkState, OwnedContainer, ProbeTarget, ReplicaProbe, ReplicaReplacement, ReplicaState, RunContainerOptions, RunningContainer } from './container-runtime.ts';
import { NodeDocker } from './node-docker.ts';
import { SwarmProber, type ProberSettings } from './swarm-prober.ts';
import { SwarmRegistry } from './swarm-registry.ts';
import { scaleService, serviceReplicas } from './swarm-scale.ts';
import { removeService } from './swarm-service-removal.ts';
import { followServiceLogs } from './swarm-service-logs.ts';
import { buildServiceSpec, registryImageRef, serviceNetworkName } from './swarm-service-spec.ts';
import { createService, createServiceNetwork, firstTaskStarted } from './swarm-service-start.ts';
import { inspectService, listOwnedServices, listServiceNetworks, localTaskContainer } from './swarm-service-state.ts';
import { localNodeId, probeTasks, replaceTask } from './swarm-task-liveness.ts';
import { isRunning, listTasks, taskAddress } from './swarm-tasks.ts';

export interface SwarmSettings {
  /** host:port of the registry every node pulls from. */
  registry: string;
  /** The most copies one deployment may run (SWARM_MAX_REPLICAS); each runs its own `replicas`. */
  maxReplicas: number;
  /** How long runContainer waits for the first task's container to start. */
  startTimeoutMs: number;
  /** Sent with each push and service create (`--with-registry-auth`): other nodes pull with them. */
  credentials?: { username: string; password: string };
  /** This worker's health prober (attached to a deployment's network while probing it); without it probeApp refuses. */
  prober?: ProberSettings;
  /** How long removeApp lets the service's tasks stop (scaled to 0) before it removes the service anyway. */
  drainTimeoutMs?: number;
  /** How long removeApp waits for the service's tasks to leave its network before it gives up on removing that (the reaper tries again). */
  networkRemovalTimeoutMs?: number;
}

/**
 * ContainerRuntime on Docker Swarm: one service per deployment (the
 * container name is the service name). Images are built on this node, pushed
 * to the registry (swarm-registry.ts) and pulled by whichever node runs a
 * task. Builds, images and events are this node's Docker (node-docker.ts), as
 * in docker mode; logs are those of the service's newest task on this node, or, when none runs
 * here, every node's tasks through the manager (swarm-service-logs.ts).
 *
 * Berth's statuses for a replicated service (swarm-service-state.ts):
 * `running` while at least one task runs (so in the DNS answer); restarting
 * (→ `crashed`) while none runs and Swarm is replacing them. Services have no
 * health check of Swarm's (it would run inside the image, which may hold
 * nothing to run it with): every probe goes through this worker's prober
 * (swarm-prober.ts), the deploy gate's (probeApp) and the liveness watch's
 * (probeReplicas, replaceReplica: a task that stops answering is replaced).
 *
 * Apps cannot reach each other: each service is on an attachable overlay of
 * its own (`<service>-net`, labelled with the instance and the deployment),
 * made here before the service and removed here after it (removeApp, through
 * swarm-service-removal.ts: every path that removes a service goes through
 * it). Only Caddy (connected by router-sync to the networks of the apps it
 * routes to) and this worker's prober (while it probes that deployment) join it.
 */
export class SwarmRuntime implements ContainerRuntime {
  private readonly node: NodeDocker;
  private readonly registry: SwarmRegistry;
  private readonly prober: SwarmProber | undefined;
  private localNode: Promise<string | undefined> | undefined;

  constructor(
    private readonly settings: SwarmSettings,
    private readonly engine: Docker = new Docker(),
  ) {
    this.node = new NodeDocker(engine);
    this.registry = new SwarmRegistry(engine, settings.registry, settings.credentials);
    this.prober = settings.prober && new SwarmProber(engine, settings.prober);
  }

  engineInfo(): Promise<EngineInfo> {
    return this.node.engineInfo();
  }

  /** No network is shared by the apps in swarm mode: runContainer makes each deployment's own. */
  async ensureNetwork(_name: string): Promise<NetworkState> {
    return { isolated: true, attached: 0 };
  }

  /** Tags the image for the registry, pushes it, makes the service's own network, then the service; the first task's address. */
  async runContainer(options: RunContainerOptions): Promise<{ id: string; ip: string }> {
    const deploymentId = options.labels[labels.deployment] ?? options.name;
    const instance = options.labels[labels.instance] ?? 'berth';
    const ref = registryImageRef(this.settings.registry, instance, deploymentId);
    if (!(await this.node.images.tag(options.image, ref))) throw new BerthError('IMAGE_GONE', `image ${options.image} is gone`);
    await this.registry.push(ref);
    const network = serviceNetworkName(options.name);
    await createServiceNetwork(this.engine, network, { [labels.instance]: instance, [labels.deployment]: deploymentId });
    const spec = buildServiceSpec({ ...options, image: ref, network, maxReplicas: this.settings.maxReplicas });
    const id = await createService(this.engine, this.registry.auth, spec);
    return { id, ip: await firstTaskStarted(this.engine, options.name, network, this.settings.startTimeoutMs) };
  }

  replicas(name: string): Promise<ReplicaState | undefined> {
    return serviceReplicas(this.engine, name);
  }

  async scale(name: string, replicas: number): Promise<void> {
    if (!Number.isInteger(replicas) || replicas < 1 || replicas > this.settings.maxReplicas) {
      throw new BerthError('INVALID_REPLICAS', `replicas must be a whole number from 1 to ${this.settings.maxReplicas}`);
    }
    await scaleService(this.engine, name, replicas);
  }

  inspect(name: string): Promise<ContainerState | undefined> {
    return inspectService(this.engine, name);
  }

  async tailLogs(name: string, lines: number): Promise<string[]> {
    // The newest task that ended holds the app's last words (Swarm may have started the next one already).
    const local = await localTaskContainer(this.engine, name, 'exited');
    return local ? this.node.logs.tail(local, lines) : [];
  }

  /**
   * One replica whose task runs here: its container's log. More replicas (running yet or not: one still
   * pulling on another node starts later), or one task on another node: the service's log through the
   * manager, every task's lines whatever node it runs on (a node needs no worker). Scaled up from one
   * while its container is followed: followed so from the next time its log is opened (a restart).
   */
  async followLogs(name: string, options: FollowLogsOptions): Promise<void> {
    const replicas = await serviceReplicas(this.engine, name);
    if (replicas && replicas.running > 0) {
      const local = replicas.desired === 1 ? await localTaskContainer(this.engine, name, 'running') : undefined;
      return local ? this.node.logs.follow(local, options) : followServiceLogs(this.engine, name, options);
    }
    // No task runs at all: a pause, not a pump asking again at once.
    await delay(5000, undefined, { signal: options.signal }).catch(() => {});
  }

  async listRunning(instance: string): Promise<RunningContainer[]> {
    return (await this.listAll(instance)).filter((c) => c.running).map(({ name, deploymentId }) => ({ name, deploymentId }));
  }

  listAll(instance: string): Promise<OwnedContainer[]> {
    return listOwnedServices(this.engine, instance);
  }

  watchEvents(instance: string, signal: AbortSignal, onEvent: (event: ContainerEvent) => void): Promise<void> {
    return this.node.watchEvents(instance, signal, onEvent);
  }

  /** The deployment's service: drained, removed, then its network (swarm-service-removal.ts). */
  removeApp(name: string): Promise<void> {
    return removeService(this.engine, name, this.settings);
  }

  buildImage(options: BuildImageOptions): Promise<void> {
    return this.node.images.build(options);
  }

  imageExists(ref: string): Promise<boolean> {
    return this.node.images.exists(ref);
  }

  /** Build tags, and (as build tags) those whose registry copy is still to be deleted (removeImage failed at it). */
  async listImages(instance: string): Promise<string[]> {
    const tags = await this.node.images.list(instance);
    const prefix = registryImageRef(this.settings.registry, instance, 'x').slice(0, -'x:latest'.length);
    const copies = await this.node.images.listStartingWith(prefix);
    const pending = copies.map((c) => imageTag(instance, c.slice(prefix.length).replace(/:latest$/, '')));
    return [...new Set([...tags, ...pending])];
  }

  /**
   * The local build tag, the registry's copy (deleted through its HTTP API, so nobody pulls a
   * reaped app's image later), then the registry tag this node pushed from. When the registry
   * fails the delete, that local tag stays, so listImages offers it to the reaper's next pass
   * (and a deployment ended before its push never asks the registry).
   */
  async removeImage(tag: string): Promise<void> {
    await this.node.images.remove(tag);
    const instance = this.settings.prober?.instance;
    const deploymentId = instance && parseImageTag(instance, tag);
    if (!instance || !deploymentId) return;
    const copy = registryImageRef(this.settings.registry, instance, deploymentId);
    // No local copy tag: this node pushed nothing (a deployment ended before its push), or it is done already.
    if (!(await this.node.images.exists(copy))) return;
    await this.registry.deleteCopy(copy);
    await this.node.images.remove(copy);
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

  /**
   * Up when at least one running (so in the service's DNS answer) task
   * answers: the release can serve. A task that is not listening yet gets
   * Caddy's retry on the next one (router-sync's caddy-proxy.ts).
   */
  async probeApp({ name, port, path }: ProbeTarget): Promise<boolean> {
    const prober = this.requireProber();
    const network = serviceNetworkName(name);
    const addresses = (await listTasks(this.engine, name)).filter(isRunning).flatMap((t) => taskAddress(t, network) ?? []);
    if (addresses.length === 0) return false;
    const answers = await Promise.all(addresses.map((a) => prober.probe(network, a, port, path)));
    return answers.includes(true);
  }

  /** The deployment's probes are over: the prober leaves its network. */
  async endProbes(name: string): Promise<void> {
    await this.prober?.detach(serviceNetworkName(name));
  }

  /** Liveness: every running task asked once through the prober (any HTTP answer counts), which leaves the network after. */
  async probeReplicas({ name, port, path }: Omit<ProbeTarget, 'ip'>): Promise<ReplicaProbe[]> {
    const prober = this.requireProber();
    const network = serviceNetworkName(name);
    try {
      return await probeTasks(this.engine, prober, { service: name, network, port, path });
    } finally {
      await prober.detach(network);
    }
  }

  /** A task on this node: its container killed; on another: the service's tasks replaced (swarm-task-liveness.ts). */
  async replaceReplica(name: string, id: string): Promise<ReplicaReplacement> {
    this.localNode ??= localNodeId(this.engine).catch((err: unknown) => {
      this.localNode = undefined;
      throw err;
    });
    return replaceTask(this.engine, name, id, await this.localNode);
  }

  private requireProber(): SwarmProber {
    if (!this.prober) throw new BerthError('INTERNAL', 'swarm runtime made without a health prober');
    return this.prober;
  }

  /** The networks of this installation's deployments (each service's own), whether or not their service is still there. */
  listAppNetworks(instance: string): Promise<AppNetwork[]> {
    return listServiceNetworks(this.engine, instance);
  }

  async close(): Promise<void> {
    await this.prober?.close();
  }
}
