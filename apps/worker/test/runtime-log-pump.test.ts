import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createLogger } from '@berth/shared/logger';
import { createRedis, type Redis } from '@berth/shared/redis';
import type { ContainerRuntime, ContainerState, FollowLogsOptions } from '../src/docker/container-runtime.ts';
import { LogSink } from '../src/log-sink.ts';
import { microsecondStamp, stampMicros } from '../src/log-timestamps.ts';
import { RuntimeLogPump } from '../src/runtime-log-pump.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';

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

/** A running container whose log stream sends `output` (what `since` allows), then waits until aborted. */
function fakeRuntime(output: () => DockerLine[], onSent?: (sent: number) => void): ContainerRuntime {
  const state: ContainerState = {
    running: true,
    restarting: false,
    restartCount: 0,
    exitCode: 0,
    status: 'running',
    startedAt: '2020-01-01T00:00:00.000Z',
  };
  const runtime: Partial<ContainerRuntime> = {
    inspect: async () => state,
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

function startPump(id: string, runtime: ContainerRuntime, retentionLines = 10_000) {
  const controller = new AbortController();
  const sink = new LogSink({ redis, logs: t.logs, instance, deploymentId: id, flushMs: 5, logger });
  const deps = { runtime, store: t.store, logs: t.logs, history: t.history, lifecycle: t.lifecycle, logger, instance, retentionLines };
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
