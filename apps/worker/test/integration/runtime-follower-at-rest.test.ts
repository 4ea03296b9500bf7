import { describe, expect, it } from 'vitest';
import { runtimeFollowKey } from '@berth/shared/redis-keys';
import type { TransitionHistory } from '@berth/shared/transition-history';
import { runtimeFollower } from '@berth/testing/runtime-follower';
import type { ContainerRuntime } from '../../src/docker/container-runtime.ts';
import { fakeRuntime, pumpWorld, runningDeployment, runningState, startPump, until } from './pump-harness.ts';

// What a worker following running apps does at rest, against real Postgres and Redis and a fake
// container: the safety poll's one look, and discovery's one read of the leases (bench:idle).
const world = pumpWorld('rest');
const { instance, logger } = world;

describe('the safety poll', () => {
  it('only looks at the container while it is the run last found healthy, and checks in full when an unseen crash changed it', async () => {
    const { t } = world;
    const id = `poll${Date.now().toString(36)}`.slice(0, 12);
    await runningDeployment(t, id);
    const state = runningState();
    const base = fakeRuntime(() => [], undefined, state);
    let inspects = 0;
    let historyReads = 0;
    const runtime: ContainerRuntime = { ...base, inspect: (name) => (inspects++, base.inspect(name)) };
    const history = Object.create(t.history) as TransitionHistory;
    history.list = (deploymentId) => (historyReads++, t.history.list(deploymentId));
    const pump = startPump(world, id, runtime, 10_000, { checkIntervalMs: 50, history });
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


describe('runtime follower discovery', () => {
  it('claims only the running apps whose lease nobody holds: one read of the leases per round, not a claim per app', async () => {
    const { t, redis } = world;
    const [free, held] = ['disca', 'discb'].map((p) => `${p}${Date.now().toString(36)}`.slice(0, 12));
    await runningDeployment(t, free!);
    await runningDeployment(t, held!);
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
