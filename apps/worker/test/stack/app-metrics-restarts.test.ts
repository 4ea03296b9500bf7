import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { AppMetricStore, type AppSample } from '@berth/shared/app-metrics/metric-samples';
import { labels } from '@berth/shared/labels';
import { createLogger } from '@berth/shared/logger';
import { createRedis } from '@berth/shared/redis';
import { createTestDatabase, type TestDatabase } from '@berth/testing/database';
import { waitFor } from '@berth/testing/ports';
import { AppMetricsSampler } from '../../src/app-metrics/app-metrics-sampler.ts';

// The sampler asks dockerd for a container's restart count (an inspect) once, and again only when
// the engine's events say the container restarted: here an app that exits once and is brought back.
const docker = new Docker();
const redis = createRedis(inject('redisUrl'));
const instance = `amr${randomBytes(3).toString('hex')}`;
const deploymentId = `damr${randomBytes(4).toString('hex')}`;
let t: TestDatabase;
let container: Docker.Container;
let inspects = 0;
const stored: AppSample[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  await t.store.create({ id: deploymentId, project: 'amr', sourceType: 'archive', rootDir: '', port: 3000, env: {}, archive: { format: 'zip', data: Buffer.from('x') } });
  // Exits 1 when told (a file appears) on its first run, and runs on after the restart policy brings it back (its file system is kept).
  const script =
    "const fs = require('fs'); if (fs.existsSync('/tmp/ran')) setInterval(() => {}, 1e6); else { fs.writeFileSync('/tmp/ran', ''); setInterval(() => fs.existsSync('/tmp/exit') && process.exit(1), 100); }";
  container = await docker.createContainer({
    Image: 'berth/node:24', // made by the suite's set-up (scripts/make-node-image.sh), as every stack test's app image
    Cmd: ['node', '-e', script],
    Labels: { [labels.instance]: instance, [labels.deployment]: deploymentId },
    HostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 }, NetworkMode: 'none' },
  });
  await container.start();
}, 60_000);

afterAll(async () => {
  await container?.remove({ force: true }).catch(() => {});
  await redis.quit();
  await t?.drop();
});

it("reads a container's restart count once, and again after the engine restarted it", async () => {
  // The real store and dockerd, counted: every inspect the sampler makes, every row it writes.
  const store = new AppMetricStore(t.db);
  const insert = store.insert.bind(store);
  store.insert = async (samples) => (stored.push(...samples), insert(samples));
  const counted = Object.create(docker) as Docker;
  counted.getContainer = (id: string) => {
    const c = docker.getContainer(id);
    const inspect = c.inspect.bind(c);
    c.inspect = ((...args: unknown[]) => (inspects++, (inspect as (...a: unknown[]) => unknown)(...args))) as typeof c.inspect;
    return c;
  };
  const sampler = new AppMetricsSampler({ docker: counted, redis, store, instance, workerName: 'test', intervalMs: 3_600_000, logger: createLogger('test', 'silent') });
  sampler.watchEngineEvents(); // its event stream only: the rounds are called below, no timer's round among them
  try {
    expect(await sampler.sampleHost(new Date())).toBe(1);
    // The event stream opens at the current second, so it may replay the container's start once (a second read).
    await waitFor('the count remembered', async () => {
      const before = inspects;
      await sampler.sampleHost(new Date());
      return inspects === before;
    }, 5000);
    const settled = inspects;
    for (let round = 0; round < 3; round++) await sampler.sampleHost(new Date());
    expect(inspects).toBe(settled);
    expect(settled).toBeLessThanOrEqual(2);
    expect(new Set(stored.map((s) => s.restarts))).toEqual(new Set([0]));

    // The app exits; Docker's policy starts it again (RestartCount 1): the next rounds say so.
    const exec = await container.exec({ Cmd: ['node', '-e', "require('fs').writeFileSync('/tmp/exit', '')"] });
    await exec.start({ Detach: true });
    await waitFor('the app restarted by its policy', async () => ((await container.inspect()).RestartCount ?? 0) === 1 && (await container.inspect()).State.Running, 20_000);
    await waitFor('a sample with the restart', async () => (await sampler.sampleHost(new Date()), stored.at(-1)?.restarts === 1), 10_000);
    const before = inspects;
    await sampler.sampleHost(new Date());
    expect(stored.at(-1)?.restarts).toBe(1);
    expect(inspects).toBe(before); // remembered again
    const rows = await t.db.selectFrom('app_metric_samples').select('restarts').where('deployment_id', '=', deploymentId).execute();
    expect(rows.some((r) => r.restarts === 1)).toBe(true);
  } finally {
    await sampler.stop();
  }
}, 60_000);
