import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createLogger } from '@berth/shared/logger';
import { createTestDatabase, type TestDatabase } from '@berth/testing/database';
import { logWriter } from '@berth/testing/log-writer';
import { waitFor } from '@berth/testing/ports';
import { loadApiConfig } from '../../src/config.ts';
import { startApi, type ApiHandle } from '../../src/start-api.ts';

// Issue 32: log viewers that connect and leave at a high rate must leave nothing behind in the API
// (a stream whose client left while its request was still authorised and looked up stayed open for good).
const token = 'berth_release_test_admin_token_0123';
let db: TestDatabase;
let api: ApiHandle;
let writer: Awaited<ReturnType<typeof logWriter>>;
const instance = `t${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  db = await createTestDatabase();
  const config = loadApiConfig({
    REDIS_URL: inject('redisUrl'),
    DATABASE_URL: db.url,
    BERTH_INSTANCE: instance,
    BASE_DOMAIN: 'localhost',
    BERTH_ADMIN_TOKEN: token,
    BERTH_SECRET_KEY: randomBytes(32).toString('hex'),
    API_HOST: '127.0.0.1',
    API_PORT: '0',
    STRANGER_RATE_LIMIT: '1000000',
    MAX_EVENT_STREAMS_PER_TOKEN: '100000',
  });
  api = await startApi(config, createLogger('test-streams', 'silent'));
  // A deployment still building: its stream stays open until the viewer leaves.
  // (logWriter reads only a stack's database and instance: no workers or Docker here.)
  writer = await logWriter({ db, instance } as never, { flushMs: 10 });
  await writer.lines(300);
}, 60_000);

afterAll(async () => {
  await writer?.close();
  // The test's keep-alive client connections would hold close() for the client's idle timeout (4 s).
  api?.app.server.closeAllConnections();
  await api?.close();
  await db?.drop();
});

const eventsPath = (since: number) => `/api/deployments/${writer.id}/events?follow=runtime&since=${since}`;

/** Open streams as /metrics counts them. */
async function openStreams(): Promise<number> {
  const metric = await api.deps.metrics.registry.getSingleMetric('berth_event_streams_open')!.get();
  return metric.values[0]?.value ?? -1;
}

/** Sends the request and closes the connection at once: the API is still checking the token when the client is gone. */
function leaveAtOnce(since: number): Promise<void> {
  const { port } = new URL(api.url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => {
      socket.end(`GET ${eventsPath(since)} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${token}\r\n\r\n`);
    });
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
    socket.resume();
  });
}

/** A viewer that reads for `holdMs` (0: aborts as soon as the answer starts), or until it has a log line when `untilLine`, then aborts. */
async function view(since: number, holdMs: number, untilLine = false): Promise<number> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), holdMs);
  let lines = 0;
  try {
    const res = await fetch(`${api.url}${eventsPath(since)}`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      lines += Buffer.from(chunk).toString().split('event: log').length - 1;
      if (untilLine && lines > 0) abort.abort();
    }
  } catch {
    // aborted: the point
  } finally {
    clearTimeout(timer);
  }
  return lines;
}

/** Gone as the answer starts, after a few ms, or (one in ten) once it has a line. */
const viewer = (i: number) => (i % 10 === 1 ? view(280, 15_000, true) : view(i % 2 === 0 ? 0 : 280, i % 4 === 0 ? 0 : 5 + (i % 40)));

describe('event streams of viewers that leave', () => {
  it('leave no relay listener and no open stream behind, however early the viewer left', async () => {
    let live = true;
    let seen: number[] = [];
    let next = 301;
    // Live batches meanwhile, as a worker publishes them, so every stream has work in its chain.
    const publishing = (async () => {
      for (; live; next += 5) await writer.lines(5, next);
    })();
    try {
      const early = Array.from({ length: 200 }, (_, i) => leaveAtOnce(i % 3 === 0 ? 0 : 250));
      const viewers = Array.from({ length: 200 }, (_, i) => viewer(i));
      [, seen] = await Promise.all([Promise.all(early), Promise.all(viewers)]);
    } finally {
      live = false;
      await publishing;
    }
    await waitFor('every stream released', async () => api.relay.listenerCount() === 0 && (await openStreams()) === 0, 5000, 50).catch(async () => {
      throw new Error(`still open: ${api.relay.listenerCount()} relay listeners, ${await openStreams()} streams`);
    });
    // The streams worked: each viewer that stayed for a line got one.
    expect(seen.filter((n, i) => i % 10 === 1 && n === 0)).toEqual([]);
  }, 30_000);
});
