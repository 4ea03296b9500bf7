import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { AddressInfo } from 'node:net';
import { buildApp } from '@berth/api/app';
import { EventRelay } from '@berth/api/event-relay';
import { createLogger } from '@berth/shared/logger';
import { createRedis } from '@berth/shared/redis';
import { logSeqKey } from '@berth/shared/redis-keys';
import { SseClient } from '@berth/testing/http';
import { consecutive, logWriter } from '@berth/testing/log-writer';
import { waitFor } from '@berth/testing/ports';
import { startStack, type Stack } from '@berth/testing/stack';

// The log path on real Redis + Postgres + HTTP: the real worker-side LogSink
// publishes, the real API relays over SSE to real sockets.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ workers: 0, router: false, env: { SSE_HEARTBEAT_MS: '200', MAX_EVENT_STREAMS_PER_TOKEN: '500' } });
});
afterAll(async () => {
  await stack?.close();
});
afterEach(async () => {
  // No viewer left subscribed once its connection is gone.
  await waitFor('relay listeners to drain', () => stack.relay.listenerCount() === 0, 5000);
});

const eventsUrl = (id: string, query = '') => `${stack.apiUrl}/api/deployments/${id}/events${query}`;
const seqsOf = (client: SseClient) => client.logs().map((l) => l.seq);

describe('log delivery', () => {
  it('delivers every line exactly once, in order, to viewers joining before, during and after a 20k-line build', async () => {
    const w = await logWriter(stack);
    const early = await SseClient.open(eventsUrl(w.id));
    await w.lines(7000, 1);
    const middle = await SseClient.open(eventsUrl(w.id)); // joins at the seam: history + live
    const writing = w.lines(13000, 7001);
    await new Promise((r) => setTimeout(r, 30));
    const racing = await SseClient.open(eventsUrl(w.id)); // joins while lines are flowing
    await writing;
    await w.finish();
    const late = await SseClient.open(eventsUrl(w.id)); // after the end: history only
    for (const client of [early, middle, racing, late]) {
      await client.waitForEnd();
      expect(consecutive(seqsOf(client), 1, 20000)).toBe(true);
      expect(client.logs().at(-1)!.line).toBe('line 20000');
      expect(client.events.at(-1)).toMatchObject({ event: 'end', data: { status: 'failed', lastSeq: 20000 } });
    }
    await w.close();
  });

  it('resumes after a disconnect from Last-Event-ID, and from ?since=, without gaps or duplicates', async () => {
    const w = await logWriter(stack);
    await w.lines(3000);
    const first = await SseClient.open(eventsUrl(w.id));
    await first.waitFor((e) => e.event === 'log' && e.data.seq === 1200);
    first.close();
    const got = seqsOf(first);
    const last = got.at(-1)!;
    await w.lines(2000, 3001);
    const resumed = await SseClient.open(eventsUrl(w.id), { headers: { 'last-event-id': String(last) } });
    const viaQuery = await SseClient.open(eventsUrl(w.id, `?since=${last}`));
    await w.finish();
    for (const client of [resumed, viaQuery]) {
      await client.waitForEnd();
      expect(consecutive([...got, ...seqsOf(client)], 1, 5000)).toBe(true);
    }
    await w.close();
  });

  it('serves 200 concurrent viewers of one deployment, each getting every line in order', async () => {
    const w = await logWriter(stack);
    await w.lines(500);
    const viewers = await Promise.all(Array.from({ length: 200 }, () => SseClient.open(eventsUrl(w.id))));
    await w.lines(1500, 501);
    await w.finish();
    await Promise.all(viewers.map((v) => v.waitForEnd(60_000)));
    for (const v of viewers) expect(consecutive(seqsOf(v), 1, 2000)).toBe(true);
    await w.close();
  });

  it('fills a lost pub/sub message from storage', async () => {
    // A publisher connection that "loses" its second message.
    const redis = createRedis(inject('redisUrl'));
    let publishes = 0;
    const lossy = new Proxy(redis, {
      get(target, prop, receiver) {
        if (prop === 'publish') {
          return (...args: [string, string]) => (++publishes === 2 ? Promise.resolve(0) : target.publish(...args));
        }
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const w = await logWriter(stack, { redis: lossy, maxBatch: 100 });
    const viewer = await SseClient.open(eventsUrl(w.id));
    await w.lines(100, 1); // published
    await w.lines(100, 101); // lost
    await w.lines(100, 201); // published: the viewer sees the gap and refills 101..200
    await viewer.waitFor((e) => e.event === 'log' && e.data.seq === 300);
    expect(consecutive(seqsOf(viewer), 1, 300)).toBe(true);
    expect(publishes).toBe(3);
    viewer.close();
    await w.close();
    await redis.quit();
  });

  it('keeps numbering across a job retried on another worker, even if Redis lost the counter', async () => {
    const first = await logWriter(stack);
    await first.lines(50);
    await first.close();
    // Another worker takes over; Redis lost its data meanwhile.
    const redis = createRedis(inject('redisUrl'));
    await redis.del(logSeqKey(stack.instance, first.id));
    const second = await logWriter(stack, { redis, deploymentId: first.id });
    await second.lines(50, 51);
    await second.close();
    await redis.quit();
    const stored = await stack.db.logs.read(first.id);
    expect(consecutive(stored.map((l) => l.seq), 1, 100)).toBe(true);
    expect(stored.at(-1)!.line).toBe('line 100');
  });

  it('survives an API restart mid-build: the viewer reconnects with Last-Event-ID and loses nothing', async () => {
    // A second API process (same database and Redis) that we can stop.
    const relay = new EventRelay(createRedis(inject('redisUrl')), stack.instance, createLogger('t', 'silent'));
    await relay.start();
    const api = await buildApp({ ...stack.apiDeps(), relay });
    await api.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
    const w = await logWriter(stack);
    const before = await SseClient.open(`${url}/api/deployments/${w.id}/events`);
    await w.lines(1000);
    await before.waitFor((e) => e.data?.seq === 1000);
    await api.close(); // the process goes away mid-build
    await relay.close();
    await before.waitForEnd();
    await w.lines(1000, 1001); // the build goes on meanwhile
    const after = await SseClient.open(eventsUrl(w.id), { headers: { 'last-event-id': before.events.filter((e) => e.id).at(-1)!.id! } });
    await w.finish();
    await after.waitForEnd();
    expect(consecutive([...seqsOf(before), ...seqsOf(after)], 1, 2000)).toBe(true);
    await w.close();
  });

  it('sends heartbeats on idle streams, and the global stream carries every deployment (or one, filtered)', async () => {
    const a = await logWriter(stack);
    const b = await logWriter(stack);
    const global = await SseClient.open(`${stack.apiUrl}/api/events`);
    const onlyB = await SseClient.open(`${stack.apiUrl}/api/events?deployment=${b.id}`);
    await new Promise((r) => setTimeout(r, 500));
    expect(global.comments).toBeGreaterThanOrEqual(2);
    await a.lines(10);
    await b.lines(10);
    await global.waitFor((e) => e.data?.deploymentId === b.id && e.data.seq === 10);
    await global.waitFor((e) => e.data?.deploymentId === a.id && e.data.seq === 10);
    await onlyB.waitFor((e) => e.data?.seq === 10);
    expect(new Set(onlyB.logs().map((l: any) => l.deploymentId))).toEqual(new Set([b.id]));
    global.close();
    onlyB.close();
    await a.close();
    await b.close();
  });

  it('disconnects a viewer that stops reading, telling it to resume, without slowing the writer or others', async () => {
    const w = await logWriter(stack);
    const stalled = await SseClient.open(eventsUrl(w.id));
    stalled.response!.pause(); // reads nothing from now on
    const healthy = await SseClient.open(eventsUrl(w.id));
    const big = 'x'.repeat(2000);
    for (let i = 0; i < 10_000; i++) w.sink.write('build', big);
    await w.sink.flush(); // the writer is not held back by the stalled viewer
    await healthy.waitFor((e) => e.data?.seq === 10_000);
    stalled.response!.resume();
    await stalled.waitForEnd();
    expect(stalled.events.at(-1)!.event).toBe('overflow');
    expect(consecutive(seqsOf(healthy), 1, 10_000)).toBe(true);
    healthy.close();
    await w.close();
  });
});
