/**
 * The runtime follower with 200 running apps: Docker API calls per second,
 * Postgres transactions per second and the follower's CPU, polling each
 * container every second (the design before) against Docker events plus a
 * 30 s safety poll (now), in the same run; then how soon each notices a crash.
 */
import Docker from 'dockerode';
import { createLogger } from '@berth/shared/logger';
import { createRedis } from '@berth/shared/redis';
import { containerName } from '@berth/shared/docker-names';
import { newDeploymentId } from '@berth/shared/ids';
import { DockerRuntime } from '../apps/worker/src/docker/docker-runtime.ts';
import type { ContainerRuntime } from '../apps/worker/src/docker/container-runtime.ts';
import { runtimeFollower } from '@berth/testing/runtime-follower';
import { createBenchDatabase, runningDeployment, type BenchDatabase } from './bench-db.ts';
import { until } from './platform.ts';
import { sized } from './bench-size.ts';

const apps = sized('BENCH_APPS', 200, 3);
const windowMs = sized('BENCH_WINDOW_MS', 20_000, 1_000);
const settleMs = sized('BENCH_SETTLE_MS', 3_000, 200);
const instance = `benchfollow${process.pid}`;
const docker = new Docker();
const logger = createLogger('bench', 'warn');
const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

/** The Docker runtime, counting its calls (a followed log or event stream is one call). */
function countingRuntime(events: boolean): { runtime: ContainerRuntime; calls: () => number } {
  const real = new DockerRuntime(docker);
  let calls = 0;
  const runtime = new Proxy(real, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'watchEvents' && !events) {
        // Before: no event stream; the pumps' poll is all there is.
        return (_i: string, signal: AbortSignal) => new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
      }
      return (...args: unknown[]) => {
        calls++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { runtime, calls: () => calls };
}

async function startApps(t: BenchDatabase): Promise<string[]> {
  const ids = Array.from({ length: apps }, () => newDeploymentId());
  for (let i = 0; i < ids.length; i += 10) {
    await Promise.all(
      ids.slice(i, i + 10).map(async (id) => {
        await runningDeployment(t, id);
        const c = await docker.createContainer({
          name: containerName(instance, id),
          Image: process.env.BENCH_IMAGE ?? 'berth/node:24',
          Cmd: ['sleep', '1000000'],
          Labels: { 'dev.berth.instance': instance, 'dev.berth.deployment': id },
          HostConfig: { NetworkMode: 'none', Memory: 16 * 1024 * 1024 },
        });
        await c.start();
      }),
    );
  }
  return ids;
}

interface Figures {
  dockerPerSec: number;
  pgPerSec: number;
  cpuPct: number;
  crashMs: number;
}

async function measure(t: BenchDatabase, victim: string, mode: 'poll' | 'events'): Promise<Figures> {
  const { runtime, calls } = countingRuntime(mode === 'events');
  const follower = runtimeFollower({
    runtime,
    redis,
    stores: t,
    logger,
    flushMs: 20,
    options: { instance, retentionLines: 1000, leaseMs: 10_000, discoveryMs: 5_000, checkIntervalMs: mode === 'poll' ? 1000 : 30_000 },
  });
  follower.start();
  try {
    const following = performance.now();
    const running = (await docker.listContainers({ filters: { label: [`dev.berth.instance=${instance}`] } })).length;
    await until(async () => follower.count === running, `following ${running} apps`, 180_000).catch((err: unknown) => {
      throw new Error(`${String(err)} (${follower.count} followed)`);
    });
    console.log(`${mode}: following ${running} apps after ${Math.round(performance.now() - following)} ms`);
    await new Promise((r) => setTimeout(r, settleMs));
    const [calls0, pg0, cpu0, t0] = [calls(), await t.commits(), process.cpuUsage(), performance.now()];
    await new Promise((r) => setTimeout(r, windowMs));
    await new Promise((r) => setTimeout(r, 1000)); // Postgres publishes its statistics about each second
    const pg1 = await t.commits();
    const [calls1, cpu1, t1] = [calls(), process.cpuUsage(cpu0), performance.now()];
    const secs = (t1 - t0) / 1000;
    const killed = performance.now();
    await docker.getContainer(containerName(instance, victim)).kill();
    await until(async () => (await t.store.get(victim))?.status === 'crashed', 'crash noticed', 60_000);
    const crashMs = performance.now() - killed;
    return {
      dockerPerSec: (calls1 - calls0) / secs,
      pgPerSec: (pg1 - pg0) / (secs + 1),
      cpuPct: ((cpu1.user + cpu1.system) / 1000 / (t1 - t0)) * 100,
      crashMs,
    };
  } finally {
    await follower.stop();
    await docker.getContainer(containerName(instance, victim)).remove({ force: true }).catch(() => {});
  }
}

async function removeOurs(): Promise<void> {
  const ours = await docker.listContainers({ all: true, filters: { label: [`dev.berth.instance=${instance}`] } });
  for (let i = 0; i < ours.length; i += 20) {
    await Promise.all(ours.slice(i, i + 20).map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => {})));
  }
}

const t = await createBenchDatabase('follower');
try {
  console.log(`starting ${apps} tiny containers (sleep in berth/node:24)...`);
  const ids = await startApps(t);
  const before = await measure(t, ids[0]!, 'poll');
  const after = await measure(t, ids[1]!, 'events');
  const row = (name: string, f: Figures) =>
    `${name.padEnd(34)} docker calls/s ${f.dockerPerSec.toFixed(1).padStart(6)}   postgres xacts/s ${f.pgPerSec.toFixed(1).padStart(6)}   follower CPU ${f.cpuPct.toFixed(1).padStart(5)} %   crash noticed in ${Math.round(f.crashMs)} ms`;
  console.log(row('before: inspect each app every 1 s', before));
  console.log(row('after: docker events + 30 s poll', after));
  console.log(
    `ratios (after / before): docker calls ${(after.dockerPerSec / before.dockerPerSec).toFixed(3)}, postgres ${(after.pgPerSec / before.pgPerSec).toFixed(3)}, CPU ${(after.cpuPct / before.cpuPct).toFixed(3)}`,
  );
} finally {
  await removeOurs();
  await redis.quit();
  await t.drop();
}
