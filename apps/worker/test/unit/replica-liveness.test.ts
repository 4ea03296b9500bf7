import { describe, expect, it } from 'vitest';
import type { ReplicaProbe, ReplicaReplacement } from '../../src/docker/container-runtime.ts';
import { judgeReplicas, newLivenessState, ReplicaLiveness, type LivenessOptions } from '../../src/replica-liveness.ts';

const options: LivenessOptions = { intervalMs: 1000, failures: 3, startGraceMs: 60_000 };
const now = Date.parse('2026-12-06T12:00:00Z');
const longAgo = new Date(now - 10 * 60_000).toISOString();
const justNow = new Date(now - 5_000).toISOString();
const probe = (id: string, answered: boolean, startedAt = longAgo): ReplicaProbe => ({ id, answered, startedAt });
const ids = (probes: ReplicaProbe[]) => probes.map((p) => p.id);

describe('judgeReplicas', () => {
  it('replaces a copy after `failures` misses in a row, not before; the copies that answer are left alone', () => {
    const state = newLivenessState();
    expect(ids(judgeReplicas([probe('a', true), probe('b', false)], state, options, now))).toEqual([]);
    expect(ids(judgeReplicas([probe('a', true), probe('b', false)], state, options, now))).toEqual([]);
    expect(ids(judgeReplicas([probe('a', true), probe('b', false)], state, options, now))).toEqual(['b']);
  });

  it('an answer resets the count: misses must be in a row', () => {
    const state = newLivenessState();
    for (const answered of [false, false, true, false, false]) expect(judgeReplicas([probe('a', answered)], state, options, now)).toEqual([]);
    expect(ids(judgeReplicas([probe('a', false)], state, options, now))).toEqual(['a']);
  });

  it('a copy still starting (never answered, younger than the grace) is not counted; once it answered, its misses count at once', () => {
    const state = newLivenessState();
    for (let i = 0; i < 5; i++) expect(judgeReplicas([probe('new', false, justNow)], state, options, now)).toEqual([]);
    expect(state.misses.get('new')).toBeUndefined();
    judgeReplicas([probe('new', true, justNow)], state, options, now);
    for (let i = 0; i < 2; i++) judgeReplicas([probe('new', false, justNow)], state, options, now);
    expect(ids(judgeReplicas([probe('new', false, justNow)], state, options, now))).toEqual(['new']);
  });

  it('a copy that never answers is replaced once its grace is over (an app that hangs at start)', () => {
    const state = newLivenessState();
    const started = new Date(now - 61_000).toISOString();
    for (let i = 0; i < 2; i++) judgeReplicas([probe('stuck', false, started)], state, options, now);
    expect(ids(judgeReplicas([probe('stuck', false, started)], state, options, now))).toEqual(['stuck']);
  });

  it('never replaces the same copy twice, and forgets copies that are gone', () => {
    const state = newLivenessState();
    state.replaced.add('b');
    state.misses.set('gone', 2);
    state.answered.add('gone');
    for (let i = 0; i < 5; i++) expect(judgeReplicas([probe('b', false)], state, options, now)).toEqual([]);
    expect(state.misses.has('gone')).toBe(false);
    expect(state.answered.has('gone')).toBe(false);
    judgeReplicas([], state, options, now);
    expect(state.replaced.size).toBe(0);
  });
});

describe('ReplicaLiveness', () => {
  function fakeRuntime(rounds: ReplicaProbe[][], outcome: ReplicaReplacement = 'killed') {
    const replaced: string[] = [];
    const asked: unknown[] = [];
    return {
      replaced,
      asked,
      runtime: {
        probeReplicas: async (target: unknown) => {
          asked.push(target);
          return rounds.shift() ?? [];
        },
        replaceReplica: async (name: string, id: string) => {
          replaced.push(`${name}/${id}`);
          return outcome;
        },
      },
    };
  }
  const logger = { info: () => {}, warn: () => {} } as never;
  const target = { deploymentId: 'dep1', name: 'berth-test-dep1', port: 8080, path: '/healthz' };

  it('probes the deployment on its port and health path, replaces the copy that stopped answering once, and says so', async () => {
    const down = [probe('t1', true), probe('t2', false)];
    const fake = fakeRuntime([down, down, down, down, down]);
    const told: string[] = [];
    const watch = new ReplicaLiveness({ runtime: fake.runtime, logger, options, onReplaced: (p, outcome) => told.push(`${p.id}:${outcome}`) }, target);
    for (let i = 0; i < 5; i++) await watch.pass(now);
    expect(fake.asked[0]).toEqual({ name: 'berth-test-dep1', port: 8080, path: '/healthz' });
    expect(fake.replaced).toEqual(['berth-test-dep1/t2']);
    expect(told).toEqual(['t2:killed']);
  });

  it('run() passes every interval until aborted; a failed pass does not end it', async () => {
    let calls = 0;
    const runtime = {
      probeReplicas: async () => {
        calls++;
        if (calls === 1) throw new Error('engine away');
        return [];
      },
      replaceReplica: async () => 'gone' as const,
    };
    const warned: unknown[] = [];
    const watch = new ReplicaLiveness(
      { runtime, logger: { info: () => {}, warn: (o: unknown) => warned.push(o) } as never, options: { ...options, intervalMs: 10 }, onReplaced: () => {} },
      target,
    );
    const stop = new AbortController();
    const running = watch.run(stop.signal);
    while (calls < 3) await new Promise((r) => setTimeout(r, 5));
    stop.abort();
    await running;
    expect(warned).toHaveLength(1);
  });
});
