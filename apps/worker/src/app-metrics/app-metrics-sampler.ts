import type Docker from 'dockerode';
import type { AppMetricStore, AppSample } from '@berth/shared/app-metrics/metric-samples';
import { labels } from '@berth/shared/labels';
import type { Logger } from '@berth/shared/logger';
import type { Redis } from '@berth/shared/redis';
import { appMetricsLockKey } from '@berth/shared/redis-keys';
import { watchDockerEvents } from '../docker/docker-events.ts';
import { sampleOf, type DockerStats } from './container-stats.ts';
import { RestartCounts } from './restart-counts.ts';

export interface AppMetricsSamplerDeps {
  docker: Docker;
  redis: Redis;
  store: AppMetricStore;
  instance: string;
  workerName: string;
  intervalMs: number;
  logger: Logger;
  /** The remembered restart counts (tests shorten their life). */
  restarts?: RestartCounts;
}

/** Containers asked at once: a host with hundreds of apps is sampled in a few rounds, not all at once. */
const parallel = 8;

/**
 * Samples every running app container on this worker's Docker host each
 * interval. Several workers share a host: the one that takes the host's lock
 * for the interval samples it, so each container is read once per interval
 * whatever the number of workers (their Docker IDs name the hosts). Per
 * container each round: Docker's stats, and its restart count only when an
 * engine event says it may have changed (restart-counts.ts).
 */
export class AppMetricsSampler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private hostId: string | undefined;
  private readonly restarts: RestartCounts;
  private readonly events = new AbortController();
  private watching: Promise<void> = Promise.resolve();

  constructor(private readonly deps: AppMetricsSamplerDeps) {
    this.restarts = deps.restarts ?? new RestartCounts();
  }

  start(): void {
    // Every worker watches, not only the lock's holder: whichever samples next finds its counts current.
    this.watching = watchDockerEvents(this.deps.docker, this.deps.instance, this.events.signal, (e) => this.restarts.changed(e.deploymentId));
    this.timer = setInterval(() => {
      this.running = this.tick().then(() => undefined, (err: unknown) => this.deps.logger.warn({ err }, 'sampling app metrics failed; will try again'));
    }, this.deps.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
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
    this.restarts.keepOnly(new Set(containers.map((c) => c.Id)));
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
      const [stats, restarts] = await Promise.all([
        container.stats({ stream: false, 'one-shot': true } as { stream: false }) as Promise<DockerStats>,
        this.restarts.of(id, deploymentId, async () => (await container.inspect()).RestartCount ?? 0),
      ]);
      return sampleOf(stats, { deploymentId, container: id.slice(0, 12), restarts, at });
    } catch (err) {
      // Gone between the list and the read (a release switched, a replica replaced): nothing to sample.
      this.deps.logger.debug({ err, container: id }, 'an app container could not be sampled');
      return undefined;
    }
  }
}
