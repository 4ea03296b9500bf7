import { setTimeout as delay } from 'node:timers/promises';
import Docker from 'dockerode';
import { BerthError } from '@berth/shared/errors';
import { labels } from '@berth/shared/labels';
import { networkGone, statusCode, unavailable } from './docker-errors.ts';
import { DockerRuntime } from './docker-runtime.ts';
import { parseImageTag } from '@berth/shared/docker-names';
import type { AppNetwork, ContainerState, FollowLogsOptions, NetworkState, OwnedContainer, ProbeTarget, ReplicaState, RunContainerOptions } from './container-runtime.ts';
import { buildServiceSpec, registryImageRef, serviceNetworkName, serviceOfNetwork } from './swarm-service-spec.ts';
import { SwarmProber, type ProberSettings } from './swarm-prober.ts';
import { scaleService, serviceReplicas } from './swarm-scale.ts';

/** The fields of a Swarm task Berth reads (the Engine API's Task). */
interface TaskInfo {
  DesiredState?: string;
  NodeID?: string;
  Status?: { State?: string; Timestamp?: string; Err?: string; ContainerStatus?: { ExitCode?: number } };
  NetworksAttachments?: { Network: { Spec: { Name: string } }; Addresses: string[] }[];
}

/** Running and healthy: Swarm puts only these in the service's DNS answer. */
const isRunning = (t: TaskInfo) => t.Status?.State === 'running';
/** The container runs but its health check has not passed yet. */
const isStarting = (t: TaskInfo) => t.Status?.State === 'starting';
/** A task whose container ran and ended (or whose node was lost): Swarm replaces it. */
const hasExited = (t: TaskInfo) => ['failed', 'complete', 'orphaned'].includes(t.Status?.State ?? '');
/**
 * On its way to running: placed, being pulled, created, started but not healthy yet. A task a node
 * refused (`rejected`: no container ever ran there) is neither an exit nor a start: Swarm places another.
 */
const isLaunching = (t: TaskInfo) =>
  t.DesiredState === 'running' && ['new', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting'].includes(t.Status?.State ?? '');

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
  /** How long removeContainer lets the service's tasks stop (scaled to 0) before it removes the service anyway. */
  drainTimeoutMs?: number;
  /** How long removeContainer waits for the service's tasks to leave its network before it gives up on removing that (the reaper tries again). */
  networkRemovalTimeoutMs?: number;
}

/**
 * ContainerRuntime on Docker Swarm: one service per deployment (the
 * container name is the service name). Images are built on this node, pushed
 * to the registry and pulled by whichever node runs a task. Builds, images
 * and events are this node's Docker, as in DockerRuntime; logs are those of
 * the service's newest task on this node.
 *
 * Berth's statuses for a replicated service (see inspect): `running` while at
 * least one task runs (Swarm: healthy, so in the DNS answer); a first task
 * that started but is not healthy yet is `starting` (the worker keeps
 * probing); restarting (→ `crashed`) while none runs and Swarm is replacing
 * them. Health probes go through this worker's prober (swarm-prober.ts).
 *
 * Apps cannot reach each other: each service is on an attachable overlay of
 * its own (`<service>-net`, labelled with the instance and the deployment),
 * made here before the service and removed here after it (removeContainer:
 * every path that removes a service goes through it). Only Caddy (connected by
 * router-sync to the networks of the apps it routes to) and this worker's
 * prober (while it probes that deployment) join it.
 */
export class SwarmRuntime extends DockerRuntime {
  private readonly prober: SwarmProber | undefined;

  constructor(
    private readonly settings: SwarmSettings,
    private readonly engine: Docker = new Docker(),
  ) {
    super(engine);
    this.prober = settings.prober && new SwarmProber(engine, settings.prober);
  }

  /** X-Registry-Auth: the credentials when there are some, else the registry's address alone. */
  private get auth(): Record<string, string> {
    return { ...this.settings.credentials, serveraddress: this.settings.registry };
  }

  /**
   * Up when at least one running (healthy, so in the service's DNS answer)
   * task answers: the release can serve. The others join as Swarm finds them healthy.
   */
  override async probeApp({ name, port, path }: ProbeTarget): Promise<boolean> {
    if (!this.prober) throw new BerthError('INTERNAL', 'swarm runtime made without a health prober');
    const network = serviceNetworkName(name);
    const addresses = (await this.tasks(name)).filter(isRunning).flatMap((t) => taskAddress(t, network) ?? []);
    if (addresses.length === 0) return false;
    const answers = await Promise.all(addresses.map((a) => this.prober!.probe(network, a, port, path)));
    return answers.includes(true);
  }

  /** The deployment's probes are over: the prober leaves its network. */
  override async endProbes(name: string): Promise<void> {
    await this.prober?.detach(serviceNetworkName(name));
  }

  override async close(): Promise<void> {
    await this.prober?.close();
  }

  /** No network is shared by the apps in swarm mode: runContainer makes each deployment's own. */
  override async ensureNetwork(_name: string): Promise<NetworkState> {
    return { isolated: true, attached: 0 };
  }

  /** The deployment's own overlay; one left by an earlier attempt of the same deployment is reused. */
  private async createServiceNetwork(name: string, owner: Record<string, string>): Promise<void> {
    try {
      await this.engine.createNetwork({ Name: name, Driver: 'overlay', Attachable: true, CheckDuplicate: true, Labels: owner });
    } catch (err) {
      if (statusCode(err) !== 409) throw unavailable(err, `creating the network ${name}`);
    }
  }

  override async runContainer(options: RunContainerOptions): Promise<{ id: string; ip: string }> {
    const deploymentId = options.labels[labels.deployment] ?? options.name;
    const instance = options.labels[labels.instance] ?? 'berth';
    const ref = registryImageRef(this.settings.registry, instance, deploymentId);
    if (!(await this.tagImage(options.image, ref))) throw new BerthError('IMAGE_GONE', `image ${options.image} is gone`);
    await this.push(ref);
    const network = serviceNetworkName(options.name);
    await this.createServiceNetwork(network, { [labels.instance]: instance, [labels.deployment]: deploymentId });
    const spec = buildServiceSpec({ ...options, image: ref, network, maxReplicas: this.settings.maxReplicas });
    let id: string;
    try {
      const created = await this.engine.createService(this.auth as Docker.AuthConfig, spec as unknown as Docker.CreateServiceOptions);
      id = (created as unknown as { id: string }).id;
    } catch (err) {
      const code = statusCode(err);
      if (code !== undefined && code >= 400 && code < 500) {
        throw new BerthError('APP_EXITED', `the service could not be created: ${(err as Error).message}`, { cause: err });
      }
      throw unavailable(err, 'creating the service');
    }
    return { id, ip: await this.firstTaskStarted(options.name, network) };
  }

  /** Pushes the image; the registry's own error (down, refused, unauthorized) becomes IMAGE_PUSH_FAILED. */
  async push(ref: string): Promise<void> {
    try {
      const stream = (await this.engine.getImage(ref).push({ authconfig: this.auth })) as NodeJS.ReadableStream;
      await new Promise<void>((resolve, reject) => {
        this.engine.modem.followProgress(
          stream,
          (err: Error | null, output: { error?: string }[]) => {
            const failed = err?.message ?? output.find((o) => o.error)?.error;
            if (failed) reject(new Error(failed));
            else resolve();
          },
        );
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new BerthError('IMAGE_PUSH_FAILED', `pushing ${ref} to ${this.settings.registry} failed: ${message}`, { cause: err });
    }
  }

  private async tasks(service: string): Promise<TaskInfo[]> {
    try {
      return (await this.engine.listTasks({ filters: { service: [service] } })) as unknown as TaskInfo[];
    } catch (err) {
      if (statusCode(err) === 404) return [];
      throw unavailable(err, 'listing the service tasks');
    }
  }

  /**
   * Waits until a task's container started (its address, then) or a task
   * ended (''; the caller inspects and reports the exit with its output). A
   * task refused by every node (no image, a bad pull) ends the wait with its reason.
   */
  private async firstTaskStarted(service: string, network: string): Promise<string> {
    const deadline = Date.now() + this.settings.startTimeoutMs;
    while (Date.now() < deadline) {
      const tasks = await this.tasks(service);
      const started = tasks.find((t) => isRunning(t) || isStarting(t));
      if (started) return taskAddress(started, network) ?? '';
      // Rejected: no container ever ran there (the image could not be pulled, ...); Swarm says why. While
      // a node that has not refused it is left, Swarm places the task again (a node that cannot reach
      // the registry must not fail a deploy the others can run); once every node refused it, that is the answer.
      const rejected = tasks.filter((t) => t.Status?.State === 'rejected');
      if (rejected.length > 0 && (await this.everyNodeRefused(rejected))) {
        const reasons = [...new Set(rejected.map((t) => t.Status?.Err ?? 'rejected by Swarm'))].join('; ');
        throw new BerthError('APP_EXITED', `no task of ${service} could start: ${reasons}`);
      }
      if (tasks.some(hasExited)) return '';
      await new Promise((r) => setTimeout(r, 100));
    }
    const reason = (await this.tasks(service)).map((t) => t.Status?.Err).find(Boolean);
    throw new BerthError(
      'HEALTHCHECK_TIMEOUT',
      `no task of ${service} started within ${this.settings.startTimeoutMs} ms${reason ? `: ${reason}` : ''}`,
    );
  }

  /** True when each node that can take tasks (ready, active) refused one of `rejected`. */
  private async everyNodeRefused(rejected: TaskInfo[]): Promise<boolean> {
    const nodes = await this.nodes();
    const refused = new Set(rejected.map((t) => t.NodeID));
    return nodes.filter((n) => n.Status?.State === 'ready' && n.Spec?.Availability === 'active').every((n) => refused.has(n.ID));
  }

  private async nodes(): Promise<{ ID?: string; Status?: { State?: string }; Spec?: { Availability?: string } }[]> {
    try {
      return await this.engine.listNodes();
    } catch (err) {
      throw unavailable(err, 'listing the swarm nodes');
    }
  }

  override async replicas(name: string): Promise<ReplicaState | undefined> {
    return serviceReplicas(this.engine, name);
  }

  override async scale(name: string, replicas: number): Promise<void> {
    if (!Number.isInteger(replicas) || replicas < 1 || replicas > this.settings.maxReplicas) {
      throw new BerthError('INVALID_REPLICAS', `replicas must be a whole number from 1 to ${this.settings.maxReplicas}`);
    }
    await scaleService(this.engine, name, replicas);
  }

  /**
   * Berth's view of a service: `running` while a task is running (healthy);
   * `starting` (not running, not restarting) while the first task is on its
   * way (placed, pulled, started, health check not passed yet; a task a node
   * refused does not count: Swarm places another); restarting while none
   * runs and one has exited.
   */
  override async inspect(name: string): Promise<ContainerState | undefined> {
    let service: Docker.Service;
    try {
      service = (await this.engine.getService(name).inspect()) as Docker.Service;
    } catch (err) {
      if (statusCode(err) === 404) return undefined;
      throw unavailable(err, 'inspecting the service');
    }
    const tasks = await this.tasks(name);
    const running = tasks.filter(isRunning);
    const exited = tasks.filter(hasExited).sort((a, b) => (b.Status?.Timestamp ?? '').localeCompare(a.Status?.Timestamp ?? ''));
    const starting = running.length === 0 && exited.length === 0 && tasks.some(isLaunching);
    const started = running.map((t) => t.Status?.Timestamp ?? '').sort();
    return {
      running: running.length > 0,
      restarting: running.length === 0 && exited.length > 0,
      restartCount: exited.length,
      exitCode: exited[0]?.Status?.ContainerStatus?.ExitCode ?? 0,
      status: running.length > 0 ? 'running' : starting ? 'starting' : 'restarting',
      startedAt: started[0] ?? service.CreatedAt ?? '',
    };
  }

  override async tailLogs(name: string, lines: number): Promise<string[]> {
    // The newest task that ended holds the app's last words (Swarm may have started the next one already).
    const local = await this.localTaskContainer(name, 'exited');
    return local ? super.tailLogs(local, lines) : [];
  }

  override async followLogs(name: string, options: FollowLogsOptions): Promise<void> {
    const local = await this.localTaskContainer(name, 'running');
    if (local) await super.followLogs(local, options);
    // No task of it on this node (it runs on another one): a pause, not a pump asking again at once.
    else await delay(5000, undefined, { signal: options.signal }).catch(() => {});
  }

  /** The newest task container of the service on this node (logs are read from it). */
  private async localTaskContainer(service: string, prefer: 'running' | 'exited'): Promise<string | undefined> {
    try {
      const containers = await this.engine.listContainers({ all: true, filters: { label: [`com.docker.swarm.service.name=${service}`] } });
      const ended = (c: Docker.ContainerInfo) => c.State === 'exited' || c.State === 'dead';
      const rank = (c: Docker.ContainerInfo) => ((prefer === 'running' ? c.State === 'running' : ended(c)) ? 1 : 0);
      const newest = containers.sort((a, b) => rank(b) - rank(a) || b.Created - a.Created);
      return newest[0]?.Id;
    } catch (err) {
      throw unavailable(err, 'listing the service containers');
    }
  }

  override async listAll(instance: string): Promise<OwnedContainer[]> {
    try {
      const services = (await this.engine.listServices({ filters: { label: [`${labels.instance}=${instance}`] } })) as Docker.Service[];
      const owned = await Promise.all(
        services.map(async (s) => {
          const name = s.Spec?.Name;
          const deploymentId = s.Spec?.Labels?.[labels.deployment];
          if (!name || !deploymentId) return [];
          const running = (await this.tasks(name)).some(isRunning);
          return [{ name, deploymentId, running }];
        }),
      );
      return owned.flat();
    } catch (err) {
      throw unavailable(err, 'listing services');
    }
  }

  /** The local build tag, and the registry tag this node pushed from (the registry keeps its copy: see the README). */
  override async removeImage(tag: string): Promise<void> {
    await super.removeImage(tag);
    const instance = this.settings.prober?.instance;
    const deploymentId = instance && parseImageTag(instance, tag);
    if (instance && deploymentId) await super.removeImage(registryImageRef(this.settings.registry, instance, deploymentId));
  }

  /**
   * Drains the service, removes it, then its network (the one place all three happen: every removal
   * path comes here). Caddy stays on the network until the tasks have stopped: a request it forwarded
   * just before its route went is answered by the app, and the app's exit closes Caddy's connections
   * to it. Cut off from the network first, Caddy would wait on those connections forever.
   */
  override async removeContainer(name: string): Promise<void> {
    await this.drainService(name);
    try {
      await this.engine.getService(name).remove();
    } catch (err) {
      if (statusCode(err) !== 404) throw unavailable(err, 'removing the service');
    }
    await this.removeServiceNetwork(serviceNetworkName(name));
  }

  /**
   * Scales the service to 0 and waits (up to drainTimeoutMs) until none of its tasks is still up:
   * each node takes a task out of the service's DNS answer, waits for that to spread, then stops
   * its container (SIGTERM, the app's own grace). Removing the service would do the same, but its
   * tasks then leave the manager's view at once and nothing shows when they are done. Only tasks
   * whose container was started are waited for, and not those on a node that is down.
   */
  private async drainService(name: string): Promise<void> {
    try {
      await scaleService(this.engine, name, 0);
    } catch (err) {
      if (err instanceof BerthError && err.code === 'NOT_FOUND') return;
      throw err;
    }
    const deadline = Date.now() + (this.settings.drainTimeoutMs ?? 20_000);
    for (;;) {
      const up = (await this.tasks(name)).filter((t) => isRunning(t) || isStarting(t)); // a container that may hold connections
      if (up.length === 0 || !(await this.anyOnLiveNode(up))) return;
      if (Date.now() >= deadline) return; // removal stops them anyway; Caddy may lose answers in flight
      await delay(100);
    }
  }

  /** Whether some of these tasks runs on a node that is up (a lost node's tasks stay "running" for long). */
  private async anyOnLiveNode(tasks: TaskInfo[]): Promise<boolean> {
    const live = new Set((await this.nodes()).filter((n) => n.Status?.State === 'ready').map((n) => n.ID));
    return tasks.some((t) => !t.NodeID || live.has(t.NodeID));
  }

  /**
   * Removes a service's network and waits until this node has let go of it
   * too: the manager may accept the removal while the service's tasks are
   * still stopping here (the node keeps its copy until they are gone), or
   * refuse it for a moment. Caddy and probers attached to it are disconnected
   * first: router-sync drops the route with the service, and does not connect
   * Caddy to a network no service uses. Gone is done.
   */
  private async removeServiceNetwork(network: string): Promise<void> {
    const deadline = Date.now() + (this.settings.networkRemovalTimeoutMs ?? 30_000);
    for (;;) {
      let info: Docker.NetworkInspectInfo;
      try {
        info = (await this.engine.getNetwork(network).inspect()) as Docker.NetworkInspectInfo;
      } catch (err) {
        if (statusCode(err) === 404) return;
        throw unavailable(err, `inspecting the network ${network}`);
      }
      for (const container of Object.keys(info.Containers ?? {})) {
        await this.engine.getNetwork(network).disconnect({ Container: container, Force: true }).catch(() => {});
      }
      try {
        await this.engine.getNetwork(network).remove();
      } catch (err) {
        // Gone for the manager, not yet for this node; 403 "has active endpoints" (its tasks are
        // stopping) or 409 while Docker is still tearing one down: look again.
        const code = statusCode(err);
        if (!networkGone(err) && code !== 403 && code !== 409) throw unavailable(err, `removing the network ${network}`);
      }
      if (Date.now() >= deadline) throw new BerthError('DOCKER_UNAVAILABLE', `the network ${network} was still there ${this.settings.networkRemovalTimeoutMs ?? 30_000} ms after its service was removed`);
      await delay(250);
    }
  }

  /** The networks of this installation's deployments (each service's own), whether or not their service is still there. */
  override async listAppNetworks(instance: string): Promise<AppNetwork[]> {
    try {
      const networks = await this.engine.listNetworks({ filters: { label: [`${labels.instance}=${instance}`, labels.deployment] } });
      return networks.flatMap((n) => {
        const deploymentId = n.Labels?.[labels.deployment];
        const service = serviceOfNetwork(n.Name);
        return deploymentId && service ? [{ deploymentId, service }] : [];
      });
    } catch (err) {
      throw unavailable(err, 'listing the app networks');
    }
  }
}

/** The task's address on `network`, without the prefix length. */
function taskAddress(task: TaskInfo, network: string): string | undefined {
  const address = task.NetworksAttachments?.find((a) => a.Network.Spec.Name === network)?.Addresses[0];
  return address?.split('/')[0] || undefined;
}
