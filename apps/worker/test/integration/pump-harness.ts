import { afterAll, beforeAll, inject } from 'vitest';
import { createLogger, type Logger } from '@berth/shared/logger';
import { createRedis, type Redis } from '@berth/shared/redis';
import type { TransitionHistory } from '@berth/shared/transition-history';
import { createTestDatabase, type TestDatabase } from '@berth/testing/database';
import type { ContainerRuntime, ContainerState, FollowLogsOptions } from '../../src/docker/container-runtime.ts';
import { LogSink } from '../../src/log-sink.ts';
import { microsecondStamp } from '../../src/log-timestamps.ts';
import { RuntimeLogPump } from '../../src/runtime-log-pump.ts';

// What the runtime pump's integration tests share: the container is a fake
// that replays Docker's output, so a test decides the timestamps and where a
// follower stops; the stores and Redis are real.

/** Output as Docker keeps it: each line with its own nanosecond stamp. */
export interface DockerLine {
  stamp: string;
  line: string;
}

export function runningState(): ContainerState {
  return { running: true, restarting: false, restartCount: 0, exitCode: 0, status: 'running', startedAt: '2020-01-01T00:00:00.000Z' };
}

/**
 * A container whose log stream sends `output` (what `since` allows), then
 * waits until aborted; `state` is what inspecting it says (a test may change it).
 */
export function fakeRuntime(output: () => DockerLine[], onSent?: (sent: number) => void, state = runningState()): ContainerRuntime {
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

/** A deployment that went through the pipeline to `running`. */
export async function runningDeployment(t: TestDatabase, id: string): Promise<void> {
  await t.store.create({ id, project: 'p', sourceType: 'git', gitUrl: 'https://x/y.git', rootDir: '', port: 3000, env: {} });
  for (const [from, to] of [['queued', 'fetching'], ['fetching', 'building'], ['building', 'starting'], ['starting', 'running']] as const) {
    await t.lifecycle.transition(id, [from], to);
  }
}

/** What a pump runs against: the test's database, Redis and names. */
export interface PumpWorld {
  t: TestDatabase;
  redis: Redis;
  instance: string;
  logger: Logger;
}

/** A fresh test database and a Redis client for the calling file: made before its tests, gone after them. */
export function pumpWorld(prefix: string): PumpWorld {
  let t: TestDatabase | undefined;
  let redis: Redis | undefined;
  beforeAll(async () => {
    t = await createTestDatabase();
    redis = createRedis(inject('redisUrl'));
  });
  afterAll(async () => {
    await redis?.quit();
    await t?.drop();
  });
  return {
    get t() {
      return t!;
    },
    get redis() {
      return redis!;
    },
    instance: `${prefix}${process.pid}`,
    logger: createLogger('test', 'silent'),
  };
}

/** A pump on `runtime`, running until `stop`; `done` resolves when it ended. */
export function startPump(
  { t, redis, instance, logger }: PumpWorld,
  id: string,
  runtime: ContainerRuntime,
  retentionLines = 10_000,
  more: { checkIntervalMs?: number; history?: TransitionHistory } = {},
) {
  const controller = new AbortController();
  const sink = new LogSink({ redis, logs: t.logs, instance, deploymentId: id, flushMs: 5, logger });
  const deps = { runtime, store: t.store, logs: t.logs, history: t.history, lifecycle: t.lifecycle, logger, instance, retentionLines, ...more };
  const done = sink.init().then(() => new RuntimeLogPump(deps, id, sink, controller.signal).run());
  return { stop: () => controller.abort(), done };
}

export async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
