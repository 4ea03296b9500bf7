import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { ContainerRuntime } from '../../src/docker/container-runtime.ts';
import { microsecondStamp, stampMicros } from '../../src/log-timestamps.ts';
import { watchDockerEvents } from '../../src/docker/docker-events.ts';
import { runtimeFollower } from '@berth/testing/runtime-follower';
import { fakeRuntime, runningDeployment as runningIn, runningState, startPump as startPumpIn, until, pumpWorld, type DockerLine } from './pump-harness.ts';

// The pump against real Postgres and Redis; the container is a fake that
// replays Docker's output, so a test decides the timestamps and where a
// follower stops.
const world = pumpWorld('pump');
const { instance, logger } = world;
const runningDeployment = (id: string) => runningIn(world.t, id);
const startPump = (id: string, runtime: ContainerRuntime, retentionLines?: number) => startPumpIn(world, id, runtime, retentionLines);
const stored = async (id: string) => (await world.t.logs.read(id, { stream: 'runtime' })).map((l) => l.line);

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
    const ts = (await world.t.logs.read(id, { stream: 'runtime' })).map((l) => l.ts);
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
      redis: world.redis,
      stores: world.t,
      logger,
      flushMs: 5,
      // The safety poll is far beyond the test's patience: only an event can tell.
      options: { instance, retentionLines: 1000, leaseMs: 10_000, discoveryMs: 60_000, checkIntervalMs: 120_000 },
    });
    const status = async () => (await world.t.store.get(id))?.status;
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
