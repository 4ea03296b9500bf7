import Docker from 'dockerode';
import { BerthError } from '@berth/shared/errors';
import { labels } from '@berth/shared/labels';
import { statusCode, unavailable } from './docker-errors.ts';
import { DockerRuntime } from './docker-runtime.ts';
import type { ContainerState, FollowLogsOptions, NetworkState, OwnedContainer, ReplicaState, RunContainerOptions } from './container-runtime.ts';
import { buildServiceSpec, registryImageRef } from './swarm-service-spec.ts';
import { scaleService, serviceReplicas } from './swarm-scale.ts';

/** The fields of a Swarm task Berth reads (the Engine API's Task). */
interface TaskInfo {
  DesiredState?: string;
  Status?: { State?: string; Timestamp?: string; ContainerStatus?: { ExitCode?: number } };
  NetworksAttachments?: { Network: { Spec: { Name: string } }; Addresses: string[] }[];
}

const isRunning = (t: TaskInfo) => t.Status?.State === 'running';

export interface SwarmSettings {
  /** host:port of the registry every node pulls from. */
  registry: string;
  /** The most copies one deployment may run (SWARM_MAX_REPLICAS); each runs its own `replicas`. */
  maxReplicas: number;
  /** How long runContainer waits for the first task to run. */
  startTimeoutMs: number;
}

/**
 * ContainerRuntime on Docker Swarm: one service per deployment (the
 * container name is the service name). Images are built on this node, pushed
 * to the registry and pulled by whichever node runs a task. Builds, images
 * and events are this node's Docker, as in DockerRuntime; logs are the service's.
 *
 * Berth's statuses for a replicated service: running while at least one task
 * runs; restarting (→ `crashed`) while none does and Swarm is replacing them.
 */
export class SwarmRuntime extends DockerRuntime {
  constructor(
    private readonly settings: SwarmSettings,
    private readonly engine: Docker = new Docker(),
  ) {
    super(engine);
  }

  override async ensureNetwork(name: string): Promise<NetworkState> {
    try {
      const info = (await this.engine.getNetwork(name).inspect()) as Docker.NetworkInspectInfo;
      return { isolated: false, attached: Object.keys(info.Containers ?? {}).length };
    } catch (err) {
      if (statusCode(err) !== 404) throw unavailable(err, 'inspecting the overlay network');
    }
    try {
      await this.engine.createNetwork({ Name: name, Driver: 'overlay', Attachable: true, CheckDuplicate: true });
    } catch (err) {
      if (statusCode(err) !== 409) throw unavailable(err, 'creating the overlay network');
    }
    return { isolated: false, attached: 0 };
  }

  override async runContainer(options: RunContainerOptions): Promise<{ id: string; ip: string }> {
    const deploymentId = options.labels[labels.deployment] ?? options.name;
    const instance = options.labels[labels.instance] ?? 'berth';
    const ref = registryImageRef(this.settings.registry, instance, deploymentId);
    if (!(await this.tagImage(options.image, ref))) throw new BerthError('IMAGE_GONE', `image ${options.image} is gone`);
    await this.push(ref);
    const spec = buildServiceSpec({ ...options, image: ref, maxReplicas: this.settings.maxReplicas });
    let id: string;
    try {
      id = ((await this.engine.createService(spec as unknown as Docker.CreateServiceOptions)) as { id: string }).id;
    } catch (err) {
      const code = statusCode(err);
      if (code !== undefined && code >= 400 && code < 500) {
        throw new BerthError('APP_EXITED', `the service could not be created: ${(err as Error).message}`, { cause: err });
      }
      throw unavailable(err, 'creating the service');
    }
    return { id, ip: await this.firstTaskIp(options.name, options.network) };
  }

  /** Pushes the image; the registry's own error (down, refused, unauthorized) becomes IMAGE_PUSH_FAILED. */
  async push(ref: string): Promise<void> {
    try {
      const stream = (await this.engine.getImage(ref).push({ authconfig: { serveraddress: this.settings.registry } })) as NodeJS.ReadableStream;
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

  private async firstTaskIp(service: string, network: string): Promise<string> {
    const deadline = Date.now() + this.settings.startTimeoutMs;
    while (Date.now() < deadline) {
      for (const task of await this.tasks(service)) {
        if (!isRunning(task)) continue;
        const attachments = task.NetworksAttachments ?? [];
        const address = attachments.find((a) => a.Network.Spec.Name === network)?.Addresses[0];
        if (address) return address.split('/')[0] ?? '';
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new BerthError('APP_EXITED', `no task of ${service} was running within ${this.settings.startTimeoutMs} ms`);
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
    const exited = tasks.filter((t) => t.DesiredState === 'shutdown' || t.Status?.State === 'failed');
    const lastExit = exited[0]?.Status;
    const started = running.map((t) => t.Status?.Timestamp ?? '').sort();
    return {
      running: running.length > 0,
      restarting: running.length === 0 && tasks.length > 0,
      restartCount: exited.length,
      exitCode: lastExit?.ContainerStatus?.ExitCode ?? 0,
      status: running.length > 0 ? 'running' : 'restarting',
      startedAt: started[0] ?? service.CreatedAt ?? '',
    };
  }

  override async tailLogs(name: string, lines: number): Promise<string[]> {
    const local = await this.localTaskContainer(name);
    return local ? super.tailLogs(local, lines) : [];
  }

  override async followLogs(name: string, options: FollowLogsOptions): Promise<void> {
    const local = await this.localTaskContainer(name);
    if (local) await super.followLogs(local, options);
  }

  /** The running task container of the service on this node (logs are read from it). */
  private async localTaskContainer(service: string): Promise<string | undefined> {
    try {
      const containers = await this.engine.listContainers({ filters: { label: [`com.docker.swarm.service.name=${service}`] } });
      return containers[0]?.Id;
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

  override async removeContainer(name: string): Promise<void> {
    try {
      await this.engine.getService(name).remove();
    } catch (err) {
      if (statusCode(err) !== 404) throw unavailable(err, 'removing the service');
    }
  }
}
