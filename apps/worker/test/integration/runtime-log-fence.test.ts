import { expect, it } from 'vitest';
import type { LogLine } from '@berth/shared/log-line';
import { LogStore } from '@berth/shared/log-store';
import { createLogger } from '@berth/shared/logger';
import { runtimeFollowKey } from '@berth/shared/redis-keys';
import { RuntimeLogFollowers } from '@berth/shared/runtime-log-followers';
import { LogSink } from '../../src/log-sink.ts';
import { pumpWorld } from './pump-harness.ts';

// Two workers follow one app's output for a moment (the soak: Redis restarted
// without its data, the lease gone, another worker took it): the fence
// (runtime-log-followers.ts) keeps the first one from storing after the
// second read where to resume. Real Postgres and Redis.
const world = pumpWorld('fence');
const logger = createLogger('test', 'silent');
const instance = `fence${process.pid}`;

async function deployment(prefix: string): Promise<string> {
  const id = `${prefix}${Date.now().toString(36)}`.slice(0, 12);
  await world.t.store.create({ id, project: 'p', sourceType: 'git', gitUrl: 'https://x/y.git', rootDir: '', port: 3000, env: {} });
  return id;
}

/** A follower as runtime-logs.ts makes one: the lease in Redis, the fence row, a sink that stores only while it holds both. */
async function follower(id: string, token: string, logs: Pick<LogStore, 'append' | 'maxSeq'> = world.t.logs) {
  const leaseKey = runtimeFollowKey(instance, id);
  await world.redis.set(leaseKey, token);
  const replacedBy = await new RuntimeLogFollowers(world.t.db).claim(id, token);
  let replaced = false;
  const sink = new LogSink({ redis: world.redis, logs, instance, deploymentId: id, flushMs: 5, logger, follower: { leaseKey, token, onReplaced: () => (replaced = true) } });
  await sink.init();
  return { sink, replacedBy, replaced: () => replaced };
}

it("stores nothing of a replaced follower's batch in flight: its successor's lines are the only copy", async () => {
  const id = await deployment('fence');
  let openGate!: () => void;
  const gate = new Promise<void>((r) => (openGate = r));
  // A's store holds its batch back (a slow insert, a paused process) until B has taken over.
  const slowLogs = { maxSeq: (d: string) => world.t.logs.maxSeq(d), append: async (d: string, lines: readonly LogLine[], f?: string) => (await gate, world.t.logs.append(d, lines, f)) };
  const a = await follower(id, 'worker-a', slowLogs);
  expect(a.replacedBy).toBeUndefined();
  for (const n of [1, 2, 3]) a.sink.write('runtime', `run ${n}`);
  const aFlushing = a.sink.flush(); // seqs 1..3 reserved, the insert waits

  await new Promise((r) => setTimeout(r, 50));
  const b = await follower(id, 'worker-b');
  expect(b.replacedBy).toBe('worker-a');
  // B resumes after what is stored (nothing) and reads A's lines again from the container.
  for (const n of [1, 2, 3, 4]) b.sink.write('runtime', `run ${n}`);
  await b.sink.flush();
  openGate();
  await aFlushing;
  a.sink.write('runtime', 'run 5'); // A has not noticed yet: refused at the seq counter
  await a.sink.close();
  await b.sink.close();

  const stored = await world.t.logs.read(id);
  expect(stored.map((l) => l.line)).toEqual(['run 1', 'run 2', 'run 3', 'run 4']);
  expect(stored.map((l) => l.seq)).toEqual([4, 5, 6, 7]); // A's reserved 1..3: a gap before B's first
  expect(a.replaced()).toBe(true);
  expect(b.replaced()).toBe(false);
  expect(a.sink.dropped).toBe(0); // handed over, not given up
});

it('a claim waits for an insert in flight, so the successor resumes after it', async () => {
  const id = await deployment('fwait');
  const followers = new RuntimeLogFollowers(world.t.db);
  await followers.claim(id, 'worker-a');
  let claimed = false;
  let claiming: Promise<string | undefined> | undefined;
  await world.t.db.transaction().execute(async (trx) => {
    // A's insert, its transaction not yet committed: it holds the fence row.
    expect(await new LogStore(trx).append(id, [{ seq: 1, ts: new Date().toISOString(), stream: 'runtime', line: 'in flight' }], 'worker-a')).toBe(true);
    claiming = followers.claim(id, 'worker-b').then((previous) => ((claimed = true), previous));
    await new Promise((r) => setTimeout(r, 300));
    expect(claimed).toBe(false);
  });
  expect(await claiming).toBe('worker-a');
  // What B reads to resume includes A's line; A stores nothing more.
  expect((await world.t.logs.read(id)).map((l) => l.line)).toEqual(['in flight']);
  expect(await world.t.logs.append(id, [{ seq: 2, ts: new Date().toISOString(), stream: 'runtime', line: 'too late' }], 'worker-a')).toBe(false);
  expect(await world.t.logs.maxSeq(id)).toBe(1);
});

it('a follower whose lease vanished (Redis lost its data) reserves no seq and drops what it holds', async () => {
  const id = await deployment('fgone');
  const a = await follower(id, 'worker-a');
  a.sink.write('runtime', 'run 1');
  await a.sink.flush();
  await world.redis.del(runtimeFollowKey(instance, id));
  a.sink.write('runtime', 'run 2');
  await a.sink.flush();
  expect(a.replaced()).toBe(true);
  expect((await world.t.logs.read(id)).map((l) => l.line)).toEqual(['run 1']);
  // Let go cleanly: the next claim finds nobody to replace.
  const followers = new RuntimeLogFollowers(world.t.db);
  await followers.release(id, 'worker-a');
  expect(await followers.claim(id, 'worker-b')).toBeUndefined();
  await followers.release(id, 'worker-a'); // not the follower any more: B's claim stays
  expect(await followers.claim(id, 'worker-c')).toBe('worker-b');
});
