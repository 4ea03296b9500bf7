import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createLogger } from '@berth/shared/logger';
import { createRedis, type Redis } from '@berth/shared/redis';
import { runtimeFollowKey } from '@berth/shared/redis-keys';
import type { TransitionHistory } from '@berth/shared/transition-history';
import type { ContainerRuntime, ContainerState, FollowLogsOptions } from '../../src/docker/container-runtime.ts';
import { LogSink } from '../../src/log-sink.ts';
import { microsecondStamp, stampMicros } from '../../src/log-timestamps.ts';
import { RuntimeLogPump } from '../../src/runtime-log-pump.ts';
import { watchDockerEvents } from '../../src/docker/docker-events.ts';
import { createTestDatabase, type TestDatabase } from '@berth/testing/database';
import { runtimeFollower } from '@berth/testing/runtime-follower';

// The pump against real Postgres and Redis; the container is a fake that
// replays Docker's output, so a test decides the timestamps and where a
// follower stops.
let t: TestDatabase;
let redis: Redis;
const logger = createLogger('test', 'silent');
const instance = `pump${process.pid}`;
beforeAll(async () => {
  t = await createTestDatabase();
  redis = createRedis(inject('redisUrl'));
});
afterAll(async () => {
  await redis?.quit();
  await t?.drop();
});

/** Output as Docker keeps it: each line with its own nanosecond stamp. */
interface DockerLine {
  stamp: string;
  line: string;
}

function runningState(): ContainerState {
  return { running: true, restarting: false, restartCount: 0, exitCode: 0, status: 'running', startedAt: '2020-01-01T00:00:00.000Z' };
}

/**
 * A container whose log stream sends `output` (what `since` allows), then
 * waits until aborted; `state` is what inspecting it says (a test may change it).
 */
function fakeRuntime(output: () => DockerLine[], onSent?: (sent: number) => void, state = runningState()): ContainerRuntime {
  const runtime: Partial<ContainerRuntime> = {
    inspect: async () => ({ ...state }),
    followLogs: async (_name: string, options: FollowLogsOptions) => {
      let sent = 0;
      for (const l of output()) {
        if (options.signal.aborted) return;
        if (Date.parse(l.stamp) < options.sinceSeconds * 1000) continue; // Docker's `since`: whole seconds
        options.onLine({ ts: microsecondStamp(l.stamp)!, line: l.line });
        onSent?.(++sent);
        await new Promise((r) => setImmediate(r));
      }
      await new Promise((r) => options.signal.addEventListener('abort', r, { once: true }));
    },
  };
  return runtime as ContainerRuntime;
}

async function runningDeployment(id: string): Promise<void> {
  await t.store.create({ id, project: 'p', sourceType: 'git', gitUrl: 'https://x/y.git', rootDir: '', port: 3000, env: {} });
  for (const [from, to] of [['queued', 'fetching'], ['fetching', 'building'], ['building', 'starting'], ['starting', 'running']] as const) {
    await t.lifecycle.transition(id, [from], to);
  }
}

function startPump(id: string, runtime: ContainerRuntime, retentionLines = 10_000, more: { checkIntervalMs?: number; history?: TransitionHistory } = {}) {
  const controller = new AbortController();
  const sink = new LogSink({ redis, logs: t.logs, instance, deploymentId: id, flushMs: 5, logger });
  const deps = { runtime, store: t.store, logs: t.logs, history: t.history, lifecycle: t.lifecycle, logger, instance, retentionLines, ...more };
  const done = sink.init().then(() => new RuntimeLogPump(deps, id, sink, controller.signal).run());
  return { stop: () => controller.abort(), done };
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const stored = async (id: string) => (await t.logs.read(id, { stream: 'runtime' })).map((l) => l.line);

describe('runtime log pump', () => {
  it('resumes mid-burst with no line lost or repeated, though lines share a millisecond and a microsecond', async () => {
    const id = `burst${Date.now().toString(36)}`.slice(0, 12);
    await runningDeployment(id);
    // 300 lines in one second: ten per millisecond, and lines 150-159 share one microsecond.
    const output: DockerLine[] = Array.from({ length: 300 }, (_, i) => {
      const ms = String(Math.floor(i / 10)).padStart(3, '0');
      const micro = i >= 150 && i < 160 ? '500' : String(i % 10).padStart(3, '0');
      return { stamp: `2026-11-23T10:00:00.${ms}${micro}${String(i).padStart(3, '0')}Z`, line: `line ${i + 1}` };
    });
    output.push({ stamp: '2026-11-23T10:00:01Z', line: 'a stamp with no fraction' });
    output.push({ stamp: '2026-11-23T10:00:01.5Z', line: 'and one cut short by Docker' });

    // The first follower stops in the middle of the shared microsecond (after line 155).
    let first: ReturnType<typeof startPump>;
    const stopAt = 155;
    first = startPump(id, fakeRuntime(() => output, (sent) => sent === stopAt && first.stop()));
    await first.done;
    expect(await stored(id)).toEqual(output.slice(0, stopAt).map((l) => l.line));

    const second = startPump(id, fakeRuntime(() => output));
    await until('every line stored', async () => (await stored(id)).length >= output.length);
    second.stop();
    await second.done;
    expect(await stored(id)).toEqual(output.map((l) => l.line));
    const ts = (await t.logs.read(id, { stream: 'runtime' })).map((l) => l.ts);
    expect(ts[150]).toBe('2026-11-23T10:00:00.015Z');
  });

  it('settles at the retention limit after a burst, keeping the newest lines', async () => {
    const id = `trim${Date.now().toString(36)}`.slice(0, 12);
    await runningDeployment(id);
    const base = Date.parse('2026-11-23T11:00:00Z');
    const output = Array.from({ length: 2000 }, (_, i) => ({
      stamp: new Date(base + Math.floor(i / 20)).toISOString(),
      line: `line ${i + 1}`,
    }));
    const pump = startPump(id, fakeRuntime(() => output), 100);
    await until('trimmed to the newest 100', async () => {
      const lines = await stored(id);
      return lines.length === 100 && lines.at(-1) === 'line 2000';
    });
    expect(await stored(id)).toEqual(output.slice(-100).map((l) => l.line));
    pump.stop();
    await pump.done;
  });
});

/** A dockerode whose event streams the test drives: `streams[i]` is what the i-th getEvents returned. */
function scriptedDockerEvents() {
  const streams: PassThrough[] = [];
  const since: (number | undefined)[] = [];
  const docker = {
    getEvents: async (options: { since?: number; abortSignal?: AbortSignal }) => {
      const stream = new PassThrough();
      options.abortSignal?.addEventListener('abort', () => stream.destroy(), { once: true });
      streams.push(stream);
      since.push(options.since);
      return stream;
    },
  } as unknown as Docker;
  return { docker, streams, since };
}

describe('the safety poll', () => {
  it('only looks at the container while it is the run last found healthy, and checks in full when an unseen crash changed it', async () => {
    const id = `poll${Date.now().toString(36)}`.slice(0, 12);
    await runningDeployment(id);
    const state = runningState();
    const base = fakeRuntime(() => [], undefined, state);
    let inspects = 0;
    let historyReads = 0;
    const runtime: ContainerRuntime = { ...base, inspect: (name) => (inspects++, base.inspect(name)) };
    const history = Object.create(t.history) as TransitionHistory;
    history.list = (deploymentId) => (historyReads++, t.history.list(deploymentId));
    const pump = startPump(id, runtime, 10_000, { checkIntervalMs: 50, history });
    const status = async () => (await t.store.get(id))?.status;
    try {
      await until('polled a few times', async () => inspects >= 6);
      expect(historyReads).toBe(1); // the check on attaching; the polls since asked Docker only
      // The app dies and no event says so: the next poll sees another state and checks in full.
      Object.assign(state, { running: false, exitCode: 137, status: 'exited' });
      await until('crash noticed by the poll', async () => (await status()) === 'crashed');
      Object.assign(state, { running: true, exitCode: 0, status: 'running', startedAt: new Date().toISOString() });
      await until('running again', async () => (await status()) === 'running');
      const reads = historyReads;
      const seen = inspects;
      await until('polled again', async () => inspects >= seen + 4);
      expect(historyReads).toBeLessThanOrEqual(reads + 1); // the new run found healthy once, then looked at only
    } finally {
      pump.stop();
      await pump.done;
    }
  });
});

describe('runtime follower on engine events', () => {
  it('notices a crash that happened while the event stream was broken, once it reconnects (no per-second polling)', async () => {
    const id = `evt${Date.now().toString(36)}`.slice(0, 12);
    await runningDeployment(id);
    const state = runningState();
    const events = scriptedDockerEvents();
    const base = fakeRuntime(() => [], undefined, state);
    let following = false; // the pump has checked the container and follows its output
    const runtime: ContainerRuntime = {
      ...base,
      followLogs: (name, options) => {
        following = true;
        return base.followLogs(name, options);
      },
      listRunning: async () => [{ name: `c-${id}`, deploymentId: id }],
      watchEvents: (inst, signal, onEvent) => watchDockerEvents(events.docker, inst, signal, onEvent),
    };
    const follower = runtimeFollower({
      runtime,
      redis,
      stores: t,
      logger,
      flushMs: 5,
      // The safety poll is far beyond the test's patience: only an event can tell.
      options: { instance, retentionLines: 1000, leaseMs: 10_000, discoveryMs: 60_000, checkIntervalMs: 120_000 },
    });
    const status = async () => (await t.store.get(id))?.status;
    try {
      follower.start();
      await until('followed', async () => following && events.streams.length === 1);
      // dockerd's stream breaks; the app dies meanwhile, unseen.
      Object.assign(state, { running: false, exitCode: 137, status: 'exited' });
      events.streams[0]!.destroy(new Error('socket hang up'));
      await new Promise((r) => setTimeout(r, 300));
      expect(await status()).toBe('running');
      // Reconnected, Docker replays the die from `since`.
      await until('reconnected', async () => events.streams.length === 2);
      const time = Math.floor(Date.now() / 1000);
      const labels = { 'dev.berth.deployment': id, 'dev.berth.instance': instance };
      events.streams[1]!.write(JSON.stringify({ Type: 'container', Action: 'die', time, Actor: { Attributes: labels } }) + '\n');
      await until('crash noticed', async () => (await status()) === 'crashed');
      // The restart policy brings it back.
      Object.assign(state, { running: true, exitCode: 0, status: 'running', startedAt: new Date().toISOString() });
      await until('running again', async () => (await status()) === 'running');
      expect(events.since[1]).toBeGreaterThan(0);
      expect(events.since[1]).toBeLessThanOrEqual(time);
    } finally {
      await follower.stop();
    }
  });
});

describe('runtime follower discovery', () => {
  it('claims only the running apps whose lease nobody holds: one read of the leases per round, not a claim per app', async () => {
    const [free, held] = ['disca', 'discb'].map((p) => `${p}${Date.now().toString(36)}`.slice(0, 12));
    await runningDeployment(free!);
    await runningDeployment(held!);
    await redis.set(runtimeFollowKey(instance, held!), 'another worker', 'PX', 60_000);
    const claims: string[] = [];
    const counted = new Proxy(redis, {
      get: (target, prop, receiver) =>
        prop === 'set'
          ? (key: string, ...rest: unknown[]) => {
              if (key.includes(':runtime-follow:')) claims.push(key); // (the log sink writes keys of its own)
              return (target.set as (...a: unknown[]) => unknown).call(target, key, ...rest);
            }
          : Reflect.get(target, prop, receiver),
    });
    const runtime: ContainerRuntime = {
      ...fakeRuntime(() => []),
      listRunning: async () => [free!, held!].map((id) => ({ name: `c-${id}`, deploymentId: id })),
    };
    const follower = runtimeFollower({ runtime, redis: counted, stores: t, logger, flushMs: 5, options: { instance, retentionLines: 1000, leaseMs: 10_000, discoveryMs: 60_000 } });
    try {
      await follower.discover();
      await until('the free one followed', async () => follower.count === 1);
      expect(claims).toEqual([runtimeFollowKey(instance, free!)]);
      await follower.discover(); // the free one is ours, the other one held: nothing to claim
      expect(claims).toHaveLength(1);
      await redis.del(runtimeFollowKey(instance, held!)); // its follower went away
      await follower.discover();
      await until('the other one followed', async () => follower.count === 2);
      expect(claims).toEqual([runtimeFollowKey(instance, free!), runtimeFollowKey(instance, held!)]);
    } finally {
      await follower.stop();
    }
  });
});

describe('log timestamps', () => {
  it('keeps microseconds of Docker stamps and refuses what is not one', () => {
    expect(microsecondStamp('2026-11-23T17:12:16.123456789Z')).toBe('2026-11-23T17:12:16.123456Z');
    expect(microsecondStamp('2026-11-23T17:12:16.1Z')).toBe('2026-11-23T17:12:16.100000Z');
    expect(microsecondStamp('2026-11-23T17:12:16Z')).toBe('2026-11-23T17:12:16.000000Z');
    expect(microsecondStamp('not-a-stamp')).toBeUndefined();
    expect(microsecondStamp('2026-13-45T17:12:16Z')).toBeUndefined();
    expect(stampMicros('2026-11-23T17:12:16.123456Z') - stampMicros('2026-11-23T17:12:16.123455999Z')).toBe(1n);
    expect(stampMicros('1970-01-01T00:00:01.000002Z')).toBe(1_000_002n);
  });
});
