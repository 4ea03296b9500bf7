import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { AppMetricStore, type AppSample } from '@berth/shared/app-metrics/metric-samples';
import { labels } from '@berth/shared/labels';
import { createLogger } from '@berth/shared/logger';
import { createRedis } from '@berth/shared/redis';
import { createTestDatabase, type TestDatabase } from '@berth/testing/database';
import { AppMetricsSampler } from '../../src/app-metrics/app-metrics-sampler.ts';
import { sampleOf, type DockerStats } from '../../src/app-metrics/container-stats.ts';

// On the container's own host the sampler reads the kernel's counters instead of asking dockerd for
// stats (a request per container per round): the same numbers, no request. Elsewhere it asks Docker.
const docker = new Docker();
const redis = createRedis(inject('redisUrl'));
const instance = `amk${randomBytes(3).toString('hex')}`;
const deploymentId = `damk${randomBytes(4).toString('hex')}`;
let t: TestDatabase;
let container: Docker.Container;

beforeAll(async () => {
  t = await createTestDatabase();
  await t.store.create({ id: deploymentId, project: 'amk', sourceType: 'archive', rootDir: '', port: 3000, env: {}, archive: { format: 'zip', data: Buffer.from('x') } });
  // Holds 64 MB, and works a little every 100 ms: memory and CPU that grow, then stay.
  const script = 'const held = Buffer.alloc(64 * 1024 * 1024, 1); setInterval(() => { let x = 0; for (let i = 0; i < 1e5; i++) x += i; held[0] = x & 1; }, 100);';
  container = await docker.createContainer({
    Image: 'berth/node:24', // made by the suite's set-up (scripts/make-node-image.sh), as every stack test's app image
    Cmd: ['node', '-e', script],
    Labels: { [labels.instance]: instance, [labels.deployment]: deploymentId },
    HostConfig: { Memory: 256 * 1024 * 1024 },
  });
  await container.start();
  await new Promise((r) => setTimeout(r, 1500)); // the buffer is filled
}, 60_000);

afterAll(async () => {
  await container?.remove({ force: true }).catch(() => {});
  await redis.quit();
  await t?.drop();
});

/** A sampler whose dockerd calls are counted; `kernel: false` makes it ask Docker, as on a remote host. */
function countedSampler(kernel: boolean) {
  const calls = { stats: 0 };
  const samples: AppSample[] = [];
  const store = new AppMetricStore(t.db);
  const insert = store.insert.bind(store);
  store.insert = async (rows) => (samples.push(...rows), insert(rows));
  const counted = Object.create(docker) as Docker;
  counted.getContainer = (id: string) => {
    const c = docker.getContainer(id);
    const stats = c.stats.bind(c);
    c.stats = ((...args: unknown[]) => (calls.stats++, (stats as (...a: unknown[]) => unknown)(...args))) as typeof c.stats;
    return c;
  };
  const sampler = new AppMetricsSampler({
    docker: counted,
    redis,
    store,
    instance,
    workerName: 'test',
    intervalMs: 3_600_000,
    logger: createLogger('test', 'silent'),
    ...(kernel ? {} : { readKernelStats: () => undefined }),
  });
  return { sampler, calls, samples };
}

it("reads the counters from the kernel on the container's host: no stats request, Docker's numbers", async () => {
  const { sampler, calls, samples } = countedSampler(true);
  const docker = countedSampler(false);
  for (let round = 0; round < 3; round++) {
    if (round > 0) await new Promise((r) => setTimeout(r, 500)); // the app works every 100 ms: its CPU count moves between rounds
    await sampler.sampleHost(new Date());
  }
  expect(samples).toHaveLength(3);
  expect(calls.stats).toBe(0);

  const direct = sampleOf((await container.stats({ stream: false, 'one-shot': true } as { stream: false })) as DockerStats, { deploymentId, container: '', restarts: 0, at: new Date() });
  await docker.sampler.sampleHost(new Date());
  expect(docker.calls.stats).toBe(1); // the fallback asks Docker
  const ours = samples.at(-1)!;
  for (const s of [ours, docker.samples[0]!]) {
    expect(s.memoryLimitBytes).toBe(256 * 1024 * 1024);
    expect(Math.abs(s.memoryBytes - direct.memoryBytes) / direct.memoryBytes).toBeLessThan(0.1); // 64 MB held, beside Node's own
    expect(s.memoryBytes).toBeGreaterThan(64 * 1024 * 1024);
    expect(s.netRxBytes).toBeGreaterThanOrEqual(0);
  }
  // CPU only grows, and the kernel's count and Docker's are the same counter, a moment apart.
  expect(samples[2]!.cpuNs).toBeGreaterThan(samples[0]!.cpuNs);
  expect(Math.abs(ours.cpuNs - direct.cpuNs)).toBeLessThan(2e9);
  expect(Math.abs(ours.netRxBytes - direct.netRxBytes)).toBeLessThan(4096); // a broadcast may arrive between the two reads
}, 60_000);
