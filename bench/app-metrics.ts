/**
 * What sampling app metrics costs (issue 30, budget: 200 running apps under 2 % of one core at the
 * default 10 s interval): the worker's CPU time per sampling round (AppMetricsSampler.sampleHost:
 * list, Docker stats and inspect per container, the rows written to Postgres) against the raw Docker
 * calls alone (the same stats and inspect, same parallelism, nothing parsed or stored), in the same run,
 * on APPS tiny containers (berth/static, no network) of the bench's own.
 *
 *   npm run bench:app-metrics           # 200 apps, 10 rounds (APPS=…, ROUNDS=… to change)
 */
import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { AppMetricStore } from '@berth/shared/app-metrics/metric-samples';
import { labels } from '@berth/shared/labels';
import { createLogger } from '@berth/shared/logger';
import { createRedis } from '@berth/shared/redis';
import { AppMetricsSampler } from '../apps/worker/src/app-metrics/app-metrics-sampler.ts';
import { createBenchDatabase } from './bench-db.ts';
import { sized } from './bench-size.ts';

const apps = sized('APPS', 200, 3);
const rounds = sized('ROUNDS', 10, 1);
const intervalMs = 10_000;
const image = 'berth/static:1';
const instance = `bench-metrics-${randomBytes(3).toString('hex')}`;

const docker = new Docker();
const bench = await createBenchDatabase('appmetrics');
const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const containers: Docker.Container[] = [];
try {
  const ids = Array.from({ length: apps }, (_, i) => `dbenchm${String(i).padStart(5, '0')}`);
  for (const id of ids) {
    await bench.store.create({ id, project: 'bench', sourceType: 'archive', rootDir: '', port: 3000, env: {}, archive: { format: 'zip', data: Buffer.from('x') } });
  }
  for (let i = 0; i < ids.length; i += 10) {
    containers.push(...(await Promise.all(ids.slice(i, i + 10).map(startApp))));
  }
  console.log(`${apps} app containers running (${image})`);

  const sampler = new AppMetricsSampler({
    docker,
    redis,
    store: new AppMetricStore(bench.db),
    instance,
    workerName: 'bench',
    intervalMs,
    logger: createLogger('bench', 'silent'),
  });
  const raw = await measure(() => rawRound());
  const sampled = await measure(() => sampler.sampleHost(new Date()));
  const rows = await bench.db.selectFrom('app_metric_samples').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  report('raw docker calls', raw);
  report('sampler round   ', sampled);
  // Every sampler round (the warm-up's too) wrote one row per app.
  const perRound = Number(rows.n) / (rounds + 1);
  console.log(`rows written: ${rows.n}, ${perRound} a round (${(perRound / (sampled.wallMs / 1000)).toFixed(1)} rows/s while sampling)`);
  console.log(`share of one core at a ${intervalMs / 1000} s interval: ${((sampled.cpuMs / intervalMs) * 100).toFixed(2)} % (budget 2 %)`);
  console.log(`ratio sampler / raw CPU per round: ${(sampled.cpuMs / raw.cpuMs).toFixed(2)}`);
} finally {
  await Promise.all(containers.map((c) => c.remove({ force: true }).catch(() => {})));
  redis.disconnect();
  await bench.drop();
}

async function startApp(deploymentId: string): Promise<Docker.Container> {
  const container = await docker.createContainer({
    Image: image,
    Labels: { [labels.instance]: instance, [labels.deployment]: deploymentId },
    HostConfig: { NetworkMode: 'none', Memory: 64 * 1024 * 1024 },
  });
  await container.start();
  return container;
}

/** The Docker calls a round makes, alone: list, then stats and inspect per container, 8 at a time. */
async function rawRound(): Promise<void> {
  const list = await docker.listContainers({ filters: { label: [`${labels.instance}=${instance}`, labels.deployment], status: ['running'] } });
  for (let i = 0; i < list.length; i += 8) {
    await Promise.all(
      list.slice(i, i + 8).map((c) => {
        const container = docker.getContainer(c.Id);
        return Promise.all([container.stats({ stream: false, 'one-shot': true } as { stream: false }), container.inspect()]);
      }),
    );
  }
}

/** This process's CPU and the wall time of one round, averaged over `rounds` (after one warm-up round). */
async function measure(round: () => Promise<unknown>): Promise<{ cpuMs: number; wallMs: number }> {
  await round();
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let r = 0; r < rounds; r++) await round();
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000 / rounds, wallMs: (performance.now() - start) / rounds };
}

function report(name: string, m: { cpuMs: number; wallMs: number }): void {
  console.log(`${name}: CPU ${m.cpuMs.toFixed(1)} ms per round, wall ${m.wallMs.toFixed(0)} ms per round`);
}
