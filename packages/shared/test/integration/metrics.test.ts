import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { DeploymentRow } from '../../src/db.ts';
import type { DeploymentStatus } from '../../src/deployment-state.ts';
import { createLogger } from '../../src/logger.ts';
import { MetricsPublisher, readPublishedMetrics, WorkerMetrics } from '../../src/metrics.ts';
import { MeteredStatusPublisher } from '../../src/metrics-recorders.ts';
import { createRedis } from '../../src/redis.ts';

const redis = createRedis(inject('redisUrl'));
afterAll(async () => {
  await redis.quit();
});

/** A status change as the lifecycle publishes it (only the fields the recorder reads matter). */
const row = (id: string, status: DeploymentStatus, createdAt: number) => ({ id, status, created_at: new Date(createdAt) }) as DeploymentRow;

async function sample(metrics: WorkerMetrics, name: string, labels: Record<string, string> = {}): Promise<number> {
  const family = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name.replace(/_(count|sum)$/, ''));
  const found = (family?.values as { metricName?: string; labels: Record<string, unknown>; value: number }[] | undefined)?.find((v) => v.metricName === name && Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return found?.value ?? 0;
}

describe('MeteredStatusPublisher', () => {
  it('observes queue wait, build duration (by result) and deploy-to-live from the published changes', async () => {
    const metrics = new WorkerMetrics();
    let now = 1_000_000;
    const published: string[] = [];
    const status = new MeteredStatusPublisher({ publish: async (r) => void published.push(r.status) }, metrics, () => now);
    const created = now;
    now += 3000;
    await status.publish(row('d1', 'fetching', created));
    now += 1000;
    await status.publish(row('d1', 'building', created));
    now += 5000;
    await status.publish(row('d1', 'starting', created));
    now += 1000;
    await status.publish(row('d1', 'running', created));
    expect(published).toEqual(['fetching', 'building', 'starting', 'running']);
    expect(await sample(metrics, 'berth_queue_wait_seconds_sum')).toBe(3);
    expect(await sample(metrics, 'berth_build_duration_seconds_sum', { result: 'succeeded' })).toBe(5);
    expect(await sample(metrics, 'berth_deploy_to_live_seconds_sum')).toBe(10);
    // Running again (a restart it did not start) is not a second deploy.
    await status.publish(row('d1', 'running', created));
    expect(await sample(metrics, 'berth_deploy_to_live_seconds_count')).toBe(1);
  });

  it('labels a failed build, and observes nothing when publishing failed', async () => {
    const metrics = new WorkerMetrics();
    const ok = new MeteredStatusPublisher({ publish: async () => {} }, metrics, () => 2000);
    await ok.publish(row('d2', 'building', 0));
    await ok.publish(row('d2', 'failed', 0));
    expect(await sample(metrics, 'berth_build_duration_seconds_count', { result: 'failed' })).toBe(1);
    const broken = new MeteredStatusPublisher({ publish: async () => Promise.reject(new Error('redis down')) }, metrics);
    await expect(broken.publish(row('d3', 'fetching', 0))).rejects.toThrow('redis down');
    expect(await sample(metrics, 'berth_queue_wait_seconds_count')).toBe(0);
  });
});

describe('MetricsPublisher on real Redis', () => {
  it('publishes a registry that readers see until its TTL ends, and leaves out the reader itself', async () => {
    const instance = `m${randomBytes(4).toString('hex')}`;
    const metrics = new WorkerMetrics();
    metrics.logLines.inc(7);
    const publisher = new MetricsPublisher(redis, instance, 'worker-a', metrics.registry, 100, createLogger('test', 'silent'));
    await publisher.publish();
    const [read] = await readPublishedMetrics(redis, instance);
    expect(read!.find((m) => m.name === 'berth_log_lines_total')!.values[0]!.value).toBe(7);
    expect(await readPublishedMetrics(redis, instance, 'worker-a')).toEqual([]);
    // Nothing stays in a shared Redis after the installation's processes are gone, the index neither.
    expect(await redis.pttl(`berth:${instance}:metrics-index`)).toBeGreaterThan(0);
    // A process that stopped publishing drops out after three periods.
    await new Promise((r) => setTimeout(r, 400));
    expect(await readPublishedMetrics(redis, instance)).toEqual([]);
    expect(await redis.zcard(`berth:${instance}:metrics-index`)).toBe(0);
  });

  it('a Redis that is down makes publishing log and carry on, never throw', async () => {
    const down = createRedis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true });
    const warnings: unknown[] = [];
    const logger = { warn: (o: unknown) => warnings.push(o) } as unknown as ReturnType<typeof createLogger>;
    const publisher = new MetricsPublisher(down, 'x', 'p', new WorkerMetrics().registry, 50, logger);
    publisher.start();
    await publisher.stop();
    expect(warnings.length).toBeGreaterThan(0);
    down.disconnect();
  });
});
