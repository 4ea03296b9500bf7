import type Docker from 'dockerode';
import type { AppMetricStore, AppSample } from '@berth/shared/app-metrics/metric-samples';
import { labels } from '@berth/shared/labels';
import type { Logger } from '@berth/shared/logger';
import type { Redis } from '@berth/shared/redis';
import { appMetricsLockKey } from '@berth/shared/redis-keys';
import { watchDockerEvents } from '../docker/docker-events.ts';
import { readCgroupStats } from './cgroup-stats.ts';
import { ContainerFacts } from './container-facts.ts';
import { sampleOf, type DockerStats } from './container-stats.ts';
import { everySharedTick } from '@berth/shared/shared-ticker';

export interface AppMetricsSamplerDeps {
  docker: Docker;
  redis: Redis;
  store: AppMetricStore;
  instance: string;
  workerName: string;
  intervalMs: number;
  logger: Logger;
  /** The remembered inspects (tests shorten their life). */
  facts?: ContainerFacts<InspectedFacts>;
  /** Reads a container's stats from the kernel's files (cgroup-stats.ts), or undefined to ask Docker. */
  readKernelStats?: (containerId: string, pid: number) => DockerStats | undefined;
}

/** What the sampler needs of a container's inspect. */
interface InspectedFacts {
  restarts: number;
  /** Its main process on the host (0 when Docker does not say): where the kernel's counters are read. */
  pid: number;
}

/** Containers asked at once: a host with hundreds of apps is sampled in a few rounds, not all at once. */
const parallel = 8;

/**
 * Samples every running app container on this worker's Docker host each
 * interval. Several workers share a host: the one that takes the host's lock
 * for the interval samples it, so each container is read once per interval
 * whatever the number of workers (their Docker IDs name the hosts). Per
 * container each round: its stats from the kernel's files when this worker
 * runs on its host (cgroup-stats.ts), else Docker's stats endpoint; its restart
 * count and pid from an inspect only when an engine event says they may have
 * changed (container-facts.ts).
 */
export class AppMetricsSampler {
  private stopTicking = () => {};
  private running: Promise<void> = Promise.resolve();
  private hostId: string | undefined;
  private readonly facts: ContainerFacts<InspectedFacts>;
  private readonly events = new AbortController();
  private watching: Promise<void> = Promise.resolve();

  constructor(private readonly deps: AppMetricsSamplerDeps) {
    this.facts = deps.facts ?? new ContainerFacts<InspectedFacts>();
  }

  start(): void {
    this.watchEngineEvents();
    this.stopTicking = everySharedTick(this.deps.intervalMs, () => {
      this.running = this.tick().then(() => undefined, (err: unknown) => this.deps.logger.warn({ err }, 'sampling app metrics failed; will try again'));
    });
  }

  /** The engine's events of this instance's containers, which make their remembered facts stale (also alone, in tests). */
  watchEngineEvents(): void {
    // Every worker watches, not only the lock's holder: whichever samples next finds its counts current.
    this.watching = watchDockerEvents(this.deps.docker, this.deps.instance, this.events.signal, (e) => this.facts.changed(e.deploymentId));
  }

  async stop(): Promise<void> {
    this.stopTicking();
    this.events.abort();
    await Promise.all([this.running, this.watching]);
  }

  /** One interval's work, if this worker holds the host's lock for it. */
  async tick(now = new Date()): Promise<number> {
    this.hostId ??= ((await this.deps.docker.info()) as { ID: string }).ID;
    const key = appMetricsLockKey(this.deps.instance, this.hostId);
    const held = await this.deps.redis.set(key, this.deps.workerName, 'PX', Math.max(100, this.deps.intervalMs - 100), 'NX');
    if (held !== 'OK') return 0;
    // Downsampling and retention are MetricRollups' (start-app-metrics.ts).
    return this.sampleHost(now);
  }

  /** Reads every running app container of this instance on the host; how many were sampled. */
  async sampleHost(at: Date): Promise<number> {
    const { docker, instance } = this.deps;
    const containers = await docker.listContainers({ filters: { label: [`${labels.instance}=${instance}`, labels.deployment], status: ['running'] } });
    this.facts.keepOnly(new Set(containers.map((c) => c.Id)));
    const samples: AppSample[] = [];
    for (let i = 0; i < containers.length; i += parallel) {
      const round = await Promise.all(containers.slice(i, i + parallel).map((c) => this.sampleContainer(c.Id, c.Labels[labels.deployment]!, at)));
      for (const s of round) if (s) samples.push(s);
    }
    await this.deps.store.insert(samples);
    return samples.length;
  }

  private async sampleContainer(id: string, deploymentId: string, at: Date): Promise<AppSample | undefined> {
    const container = this.deps.docker.getContainer(id);
    try {
      const { restarts, pid } = await this.facts.of(id, deploymentId, async () => {
        const inspected = await container.inspect();
        return { restarts: inspected.RestartCount ?? 0, pid: inspected.State?.Pid ?? 0 };
      });
      const stats = (this.deps.readKernelStats ?? readCgroupStats)(id, pid) ?? ((await container.stats({ stream: false, 'one-shot': true } as { stream: false })) as DockerStats);
      return sampleOf(stats, { deploymentId, container: id.slice(0, 12), restarts, at });
    } catch (err) {
      // Gone between the list and the read (a release switched, a replica replaced): nothing to sample.
      this.deps.logger.debug({ err, container: id }, 'an app container could not be sampled');
      return undefined;
    }
  }
}
