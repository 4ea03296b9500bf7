import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { Counter, Histogram, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import type { Logger } from './logger.ts';
import type { Redis } from './redis.ts';
import { metricsIndexKey, metricsKey } from './redis-keys.ts';
import { everySharedTick } from './shared-ticker.ts';

/** A process's metrics as prom-client serialises them (what AggregatorRegistry.aggregate takes). */
export type PublishedMetrics = MetricObjectWithValues<MetricValue<string>>[];

/** Seconds buckets from a second to a quarter of an hour (builds, waits, deploys). */
const slowBuckets = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 900];

/**
 * The worker's metrics: what it observes while it runs deployments. Each
 * worker process has its own; the API adds them up at scrape time.
 */
export class WorkerMetrics {
  readonly registry = new Registry();
  readonly queueWait = this.seconds('berth_queue_wait_seconds', 'From a deployment being queued to a worker fetching its source');
  readonly buildDuration = this.seconds('berth_build_duration_seconds', 'From a build starting to its end, by result', ['result']);
  readonly deployToLive = this.seconds('berth_deploy_to_live_seconds', 'From a deployment being created to it running');
  readonly logLines = new Counter({
    name: 'berth_log_lines_total',
    help: 'Log lines stored (build and runtime); rate() gives lines per second',
    registers: [this.registry],
  });

  private seconds(name: string, help: string, labelNames: string[] = []): Histogram {
    return new Histogram({ name, help, labelNames, buckets: slowBuckets, registers: [this.registry] });
  }
}

/** router-sync's metrics: the full-config loads it makes into Caddy. */
export class RouterMetrics {
  readonly registry = new Registry();
  readonly caddyLoads = new Counter({
    name: 'berth_caddy_config_loads_total',
    help: 'Full configuration loads into Caddy, by result',
    labelNames: ['result'],
    registers: [this.registry],
  });
  readonly caddyLoadDuration = new Histogram({
    name: 'berth_caddy_config_load_duration_seconds',
    help: 'How long Caddy took to accept (or refuse) a configuration',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  /** Requests to each project's apps, from Caddy's access log (every deployment of the project). */
  readonly appRequests = new Counter({
    name: 'berth_app_requests_total',
    help: "Requests to the project's apps through Caddy, by status class (2xx, 3xx, 4xx, 5xx, other)",
    labelNames: ['project', 'status_class'],
    registers: [this.registry],
  });
  readonly appRequestDuration = new Histogram({
    name: 'berth_app_request_duration_seconds',
    help: "How long Caddy took to answer requests to the project's apps (the app's time and the proxy's)",
    labelNames: ['project'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
}

/** A name for one running process (several run in a test process: a random part keeps them apart). */
export function metricsProcessId(kind: string): string {
  return `${kind}-${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/**
 * Publishes one process's registry to Redis every `everyMs`, under a key that
 * expires after three periods (a killed process's numbers leave on their own).
 * The API's /metrics reads every live one (readPublishedMetrics).
 */
export class MetricsPublisher {
  private stopTicking = () => {};
  /** A write still waiting (Redis slow or down): the next tick skips instead of queueing another. */
  private pending: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly instance: string,
    readonly processId: string,
    private readonly registry: Registry,
    private readonly everyMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.stopTicking = everySharedTick(this.everyMs, () => void this.publishQuietly(), { keepsAlive: false });
    void this.publishQuietly();
  }

  async publish(): Promise<void> {
    const ttl = this.everyMs * 3;
    const json = JSON.stringify(await this.registry.getMetricsAsJSON());
    await this.redis
      .multi()
      .set(metricsKey(this.instance, this.processId), json, 'PX', ttl)
      .zadd(metricsIndexKey(this.instance), Date.now() + ttl, this.processId)
      // The index goes too once every process of the installation has stopped.
      .pexpire(metricsIndexKey(this.instance), ttl)
      .exec();
  }

  /** Stops, publishing the last numbers first (a scrape soon after still counts them until the TTL). */
  async stop(): Promise<void> {
    this.stopTicking();
    await this.publishQuietly();
  }

  private async publishQuietly(): Promise<void> {
    if (this.pending) return this.pending;
    this.pending = this.publish()
      .catch((err: unknown) => this.logger.warn({ err }, 'could not publish metrics'))
      .finally(() => (this.pending = undefined));
    return this.pending;
  }
}

/** Every live process's published metrics (expired ones are dropped from the index as they are found). */
export async function readPublishedMetrics(redis: Redis, instance: string, exceptId?: string): Promise<PublishedMetrics[]> {
  const index = metricsIndexKey(instance);
  await redis.zremrangebyscore(index, '-inf', String(Date.now()));
  const ids = (await redis.zrange(index, '0', '-1')).filter((id) => id !== exceptId);
  if (ids.length === 0) return [];
  const values = await redis.mget(...ids.map((id) => metricsKey(instance, id)));
  return values.filter((v): v is string => v !== null).map((v) => JSON.parse(v) as PublishedMetrics);
}

/** Starts publishing a process's registry; `onClose` registers its final publish with the program's shutdown. */
export function startMetricsPublisher(
  redis: Redis,
  config: { BERTH_INSTANCE: string; METRICS_PUBLISH_MS: number },
  kind: string,
  registry: Registry,
  logger: Logger,
): MetricsPublisher {
  const publisher = new MetricsPublisher(redis, config.BERTH_INSTANCE, metricsProcessId(kind), registry, config.METRICS_PUBLISH_MS, logger);
  publisher.start();
  return publisher;
}
