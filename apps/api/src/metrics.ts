import { AggregatorRegistry, Counter, Gauge, Registry } from 'prom-client';
import type { ProjectUsage } from '@berth/shared/app-metrics/metric-samples';
import type { Db } from '@berth/shared/db';
import { deploymentStatuses } from '@berth/shared/deployment-state';
import { BerthError } from '@berth/shared/errors';
import { readPublishedMetrics, type PublishedMetrics } from '@berth/shared/metrics';
import type { Redis } from '@berth/shared/redis';

/** Where /metrics gets what it does not keep itself (narrow, so tests can swap each part). */
export interface MetricsSources {
  /** Deployments by status, from Postgres, at scrape time. */
  deploymentCounts(): Promise<Record<string, number>>;
  /** Jobs in the deployment queue by state (BullMQ). */
  queueCounts(): Promise<Record<string, number>>;
  /** What the other processes (workers, router-sync, other APIs) published. */
  published(): Promise<PublishedMetrics[]>;
  /** What each project's running apps use now (the workers' samples). */
  appUsage(): Promise<ProjectUsage[]>;
}

/** This API process's own metrics (published for the other APIs, and fresh in its own scrape). */
export class ApiMetrics {
  readonly registry = new Registry();
  private readonly streamCounters: (() => number)[] = [];

  constructor() {
    const streams = () => this.streamCounters.reduce((sum, count) => sum + count(), 0);
    new Gauge({
      name: 'berth_event_streams_open',
      help: 'Server-Sent Event streams open now (summed over API processes)',
      registers: [this.registry],
      collect() {
        this.set(streams());
      },
    });
  }

  /** An app counts its open streams (it makes its stream registry after the metrics exist; tests build two apps on one set). */
  countStreams(count: () => number): void {
    this.streamCounters.push(count);
  }
}

/** The Prometheus exposition: every process's metrics added up, plus the scrape-time gauges. */
export async function scrapeMetrics(own: ApiMetrics, sources: MetricsSources): Promise<{ text: string; contentType: string }> {
  const [deployments, jobs, others, mine, usage] = await Promise.all([
    sources.deploymentCounts(),
    sources.queueCounts(),
    sources.published(),
    own.registry.getMetricsAsJSON(),
    sources.appUsage(),
  ]);
  const now = new Registry();
  const byStatus = new Gauge({ name: 'berth_deployments', help: 'Deployments by status', labelNames: ['status'], registers: [now] });
  for (const status of deploymentStatuses) byStatus.set({ status }, deployments[status] ?? 0);
  const depth = new Gauge({ name: 'berth_queue_jobs', help: 'Deployment jobs in the queue by state', labelNames: ['state'], registers: [now] });
  for (const [state, count] of Object.entries(jobs)) depth.set({ state }, count);
  appUsageFamilies(now, usage);
  const merged = Registry.merge([AggregatorRegistry.aggregate([mine as PublishedMetrics, ...others]), now]);
  return { text: await merged.metrics(), contentType: merged.contentType };
}

/** Per project: CPU seconds, memory and network of its running containers (counters as the containers count them). */
function appUsageFamilies(registry: Registry, usage: readonly ProjectUsage[]): void {
  const labelNames = ['project'];
  const cpu = new Counter({ name: 'berth_app_cpu_seconds_total', help: 'CPU time used by the project\'s running containers', labelNames, registers: [registry] });
  const memory = new Gauge({ name: 'berth_app_memory_bytes', help: 'Memory the project\'s running containers use (as docker stats counts it)', labelNames, registers: [registry] });
  const rx = new Counter({ name: 'berth_app_network_receive_bytes_total', help: 'Bytes the project\'s running containers received', labelNames, registers: [registry] });
  const tx = new Counter({ name: 'berth_app_network_transmit_bytes_total', help: 'Bytes the project\'s running containers sent', labelNames, registers: [registry] });
  for (const u of usage) {
    cpu.inc({ project: u.project }, u.cpuSeconds);
    memory.set({ project: u.project }, u.memoryBytes);
    rx.inc({ project: u.project }, u.netRxBytes);
    tx.inc({ project: u.project }, u.netTxBytes);
  }
}

/** Deployments by status, one grouped count (the scrape-time gauge). */
export async function countDeploymentsByStatus(db: Db): Promise<Record<string, number>> {
  const rows = await db.selectFrom('deployments').select(['status', db.fn.countAll<string>().as('n')]).groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** The other processes' metrics; Redis down is a 503 (a scrape without them would lie by omission). */
export async function otherProcessesMetrics(redis: Redis, instance: string, ownId: string): Promise<PublishedMetrics[]> {
  try {
    return await readPublishedMetrics(redis, instance, ownId);
  } catch (err) {
    throw new BerthError('QUEUE_UNAVAILABLE', 'Redis is unavailable: the other processes\' metrics cannot be read', { cause: err });
  }
}
