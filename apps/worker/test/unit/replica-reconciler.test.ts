import { describe, expect, it } from 'vitest';
import { BerthError } from '@berth/shared/errors';
import { containerName } from '@berth/shared/docker-names';
import { createLogger } from '@berth/shared/logger';
import type { DesiredReplicas } from '@berth/shared/replica-store';
import type { ReplicaState } from '../../src/docker/container-runtime.ts';
import { decideScale, ReplicaReconciler } from '../../src/replica-reconciler.ts';

const instance = 'unit';
const logger = createLogger('test', 'silent');

describe('decideScale', () => {
  it('leaves a service at its count alone, whatever runs right now (Swarm is replacing tasks)', () => {
    expect(decideScale(3, { desired: 3, running: 3 })).toEqual({ action: 'none' });
    expect(decideScale(3, { desired: 3, running: 1 })).toEqual({ action: 'none' });
  });

  it('scales up and down to the stored count', () => {
    expect(decideScale(3, { desired: 1, running: 1 })).toEqual({ action: 'scale', from: 1, to: 3 });
    expect(decideScale(1, { desired: 3, running: 3 })).toEqual({ action: 'scale', from: 3, to: 1 });
  });

  it('does nothing for a service that is gone (the reaper marks the deployment crashed)', () => {
    expect(decideScale(2, undefined)).toEqual({ action: 'missing' });
  });
});

/** An engine of services by deployment id, recording every scale call. */
function fakeEngine(services: Record<string, number>, failFor = new Set<string>()) {
  const scaled: { id: string; to: number }[] = [];
  const idOf = (name: string) => name.slice(containerName(instance, '').length);
  const runtime = {
    async replicas(name: string): Promise<ReplicaState | undefined> {
      const n = services[idOf(name)];
      return n === undefined ? undefined : { desired: n, running: n };
    },
    async scale(name: string, to: number): Promise<void> {
      const id = idOf(name);
      if (failFor.has(id)) throw new BerthError('DOCKER_UNAVAILABLE', 'the manager is unreachable');
      if (services[id] === undefined) throw new BerthError('NOT_FOUND', `service ${name} does not exist`);
      services[id] = to;
      scaled.push({ id, to });
    },
  };
  return { runtime, scaled, services };
}

function fakeStore(rows: DesiredReplicas[]) {
  return {
    rows,
    async desired() {
      return [...rows];
    },
    async desiredOf(id: string) {
      return rows.find((r) => r.id === id);
    },
  };
}

describe('ReplicaReconciler', () => {
  it('scales exactly the live deployments whose service differs', async () => {
    const engine = fakeEngine({ a: 1, b: 3, c: 2 });
    const store = fakeStore([
      { id: 'a', replicas: 3 },
      { id: 'b', replicas: 1 },
      { id: 'c', replicas: 2 },
    ]);
    await new ReplicaReconciler({ store, runtime: engine.runtime, instance, logger }).reconcileAll();
    expect(engine.scaled).toEqual([
      { id: 'a', to: 3 },
      { id: 'b', to: 1 },
    ]);
    // Level-triggered: a second pass with nothing changed does nothing.
    await new ReplicaReconciler({ store, runtime: engine.runtime, instance, logger }).reconcileAll();
    expect(engine.scaled).toHaveLength(2);
  });

  it('goes on past a deployment that fails or whose service is gone, and retries it on the next pass', async () => {
    const failing = new Set(['a']);
    const engine = fakeEngine({ a: 1, c: 1 }, failing);
    const store = fakeStore([
      { id: 'a', replicas: 2 },
      { id: 'gone', replicas: 2 },
      { id: 'c', replicas: 2 },
    ]);
    const reconciler = new ReplicaReconciler({ store, runtime: engine.runtime, instance, logger });
    await reconciler.reconcileAll();
    expect(engine.scaled).toEqual([{ id: 'c', to: 2 }]);
    failing.clear();
    await reconciler.reconcileAll();
    expect(engine.scaled).toEqual([
      { id: 'c', to: 2 },
      { id: 'a', to: 2 },
    ]);
  });

  it('a poke applies one deployment now; a poke for one no longer live does nothing', async () => {
    const engine = fakeEngine({ a: 1, b: 1 });
    const store = fakeStore([
      { id: 'a', replicas: 3 },
      { id: 'b', replicas: 2 },
    ]);
    const reconciler = new ReplicaReconciler({ store, runtime: engine.runtime, instance, logger });
    await reconciler.poke('a');
    expect(engine.scaled).toEqual([{ id: 'a', to: 3 }]);
    await reconciler.poke('stopped-meanwhile');
    expect(engine.scaled).toHaveLength(1);
  });

  it('runs passes one at a time: a poke during a full pass waits for it, and reads the count then', async () => {
    const engine = fakeEngine({ a: 1 });
    const store = fakeStore([{ id: 'a', replicas: 2 }]);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slowStore = {
      ...store,
      desired: async () => {
        await gate;
        return store.desired();
      },
    };
    const reconciler = new ReplicaReconciler({ store: slowStore, runtime: engine.runtime, instance, logger });
    reconciler.start(60_000);
    // The PATCH lands while the first pass waits: the poke must apply the newer count, after the pass.
    store.rows[0] = { id: 'a', replicas: 4 };
    const poked = reconciler.poke('a');
    release();
    await poked;
    await reconciler.stop();
    expect(engine.scaled).toEqual([{ id: 'a', to: 4 }]);
    expect(engine.services.a).toBe(4);
  });

  it('keeps passing after a pass that failed as a whole (the database was down)', async () => {
    const engine = fakeEngine({ a: 1 });
    let down = true;
    const store = {
      desired: async () => {
        if (down) throw new Error('connection refused');
        return [{ id: 'a', replicas: 2 }];
      },
      desiredOf: async () => undefined,
    };
    const reconciler = new ReplicaReconciler({ store, runtime: engine.runtime, instance, logger });
    reconciler.start(20);
    await new Promise((r) => setTimeout(r, 50));
    down = false;
    for (let i = 0; i < 100 && engine.scaled.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await reconciler.stop();
    expect(engine.scaled).toEqual([{ id: 'a', to: 2 }]);
  });
});
