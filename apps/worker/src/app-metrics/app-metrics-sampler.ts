import type Docker from 'dockerode';
import type { AppMetricStore, AppSample } from '@berth/shared/app-metrics/metric-samples';
import { labels } from '@berth/shared/labels';
import type { Logger } from '@berth/shared/logger';
import type { Redis } from '@berth/shared/redis';
import { appMetricsLockKey } from '@berth/shared/redis-keys';
import { sampleOf, type DockerStats } from './container-stats.ts';

export interface AppMetricsSamplerDeps {
  docker: Docker;
  redis: Redis;
  store: AppMetricStore;
  instance: string;
  workerName: string;
  intervalMs: number;
  logger: Logger;
}

/** Containers asked at once: a host with hundreds of apps is sampled in a few rounds, not all at once. */
const parallel = 8;

/**
 * Samples every running app container on this worker's Docker host each
 * interval. Several workers share a host: the one that takes the host's lock
 * for the interval samples it, so each container is read once per interval
 * whatever the number of workers (their Docker IDs name the hosts).
 */
export class AppMetricsSampler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private hostId: string | undefined;

  constructor(private readonly deps: AppMetricsSamplerDeps) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.tick().then(() => undefined, (err: unknown) => this.deps.logger.warn({ err }, 'sampling app metrics failed; will try again'));
    }, this.deps.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
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
      const [stats, info] = await Promise.all([
        container.stats({ stream: false, 'one-shot': true } as { stream: false }) as Promise<DockerStats>,
        container.inspect(),
      ]);
      return sampleOf(stats, { deploymentId, container: id.slice(0, 12), restarts: info.RestartCount ?? 0, at });
    } catch (err) {
      // Gone between the list and the read (a release switched, a replica replaced): nothing to sample.
      this.deps.logger.debug({ err, container: id }, 'an app container could not be sampled');
      return undefined;
    }
  }
}
