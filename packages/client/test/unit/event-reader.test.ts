import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError } from '@berth/client/api-client';
import { FrameParser, readEvents } from '@berth/client/event-reader';

const frame = (event: string, data: unknown, id?: number) => `event: ${event}\n${id !== undefined ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
const log = (seq: number) => frame('log', { deploymentId: 'd', seq, ts: 't', stream: 'build', line: `line ${seq}` }, seq);

/** A response whose body yields the chunks, then ends (or fails, as a cut connection does). */
function streamResponse(chunks: string[], fail = false): Response {
  const encoder = new TextEncoder();
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(encoder.encode(chunks[i++]!));
      else if (fail) controller.error(new TypeError('network error'));
      else controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

/** A fake fetch (unit test: the real one runs in test/browser and the CLI's e2e tests) answering in turn. */
function fakeFetch(answers: ((init: RequestInit) => Response | Promise<Response>)[]) {
  const calls: RequestInit[] = [];
  const fn = (async (_url: string, init: RequestInit) => {
    calls.push(init);
    const answer = answers[calls.length - 1];
    if (!answer) throw new Error('unexpected call');
    return answer(init);
  }) as unknown as typeof fetch;
  return { fn, calls };
}

describe('FrameParser', () => {
  it('splits frames across chunk boundaries, skips comments, joins data lines', () => {
    const parser = new FrameParser();
    const whole = `: heartbeat\n\n${log(1)}event: x\ndata: a\ndata: b\n\n${log(2)}`;
    const frames = [...whole].flatMap((c) => parser.push(c));
    expect(frames.map((f) => [f.event, f.id])).toEqual([['log', '1'], ['x', undefined], ['log', '2']]);
    expect(frames[1]!.data).toBe('a\nb');
  });
});

describe('readEvents', () => {
  afterEach(() => vi.restoreAllMocks());

  it('resumes after a cut connection with Last-Event-ID: every line once, in order, then stops at end', async () => {
    const { fn, calls } = fakeFetch([
      () => streamResponse([log(1), log(2).slice(0, 10), log(2).slice(10)], true),
      () => streamResponse([log(3), frame('end', { deploymentId: 'd', status: 'failed', lastSeq: 3 })]),
    ]);
    const client = new ApiClient({ baseUrl: 'http://api', token: 't', fetch: fn });
    const seqs: number[] = [];
    const connections: boolean[] = [];
    await readEvents(client, '/api/deployments/d/events', {
      retryMs: 1,
      onConnection: (c) => connections.push(c),
      onEvent: (e) => e.event === 'log' && seqs.push(e.data.seq),
    });
    expect(seqs).toEqual([1, 2, 3]);
    expect(calls).toHaveLength(2);
    expect((calls[0]!.headers as Record<string, string>)['last-event-id']).toBeUndefined();
    expect((calls[1]!.headers as Record<string, string>)['last-event-id']).toBe('2');
    expect((calls[1]!.headers as Record<string, string>).authorization).toBe('Bearer t');
    expect(connections).toEqual([true, false, true]);
  });

  it('with segmentBytes, ends a connection past that size at the next chunk and goes on at once from the last id', async () => {
    const status = frame('status', { deploymentId: 'd', status: 'failed', at: 't' });
    const { fn, calls } = fakeFetch([
      // The first connection: 5 chunks of about 100 bytes; past 250 bytes it stops reading (the rest is not handled).
      () => streamResponse([status + log(1), log(2), log(3), log(4), log(5)]),
      () => streamResponse([status + log(4), log(5), log(6)]),
      () => streamResponse([status + log(7), frame('end', { deploymentId: 'd', status: 'failed', lastSeq: 7 })]),
    ]);
    const client = new ApiClient({ baseUrl: 'http://api', token: 't', fetch: fn });
    const seqs: number[] = [];
    const connections: boolean[] = [];
    const size = (log(1) + log(2) + log(3) + status).length - 10;
    await readEvents(client, '/api/deployments/d/events', {
      retryMs: 60_000, // a segment is not a drop: no wait (the test would time out)
      segmentBytes: size,
      onConnection: (c) => connections.push(c),
      onEvent: (e) => e.event === 'log' && seqs.push(e.data.seq),
    });
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(calls.map((c) => (c.headers as Record<string, string>)['last-event-id'])).toEqual([undefined, '3', '6']);
    expect(connections).toEqual([true, true, true]); // never "reconnecting"
  });

  it('with segmentBytes, never cuts a connection before it has an id to resume from', async () => {
    const big = frame('status', { deploymentId: 'd', status: 'building', at: 't', padding: 'x'.repeat(500) });
    // Two chunks far past the size, neither with an id: the connection is kept until the end.
    const { fn, calls } = fakeFetch([() => streamResponse([big, big, log(1) + frame('end', { deploymentId: 'd', status: 'failed', lastSeq: 1 })])]);
    const client = new ApiClient({ baseUrl: 'http://api', token: 't', fetch: fn });
    const events: string[] = [];
    await readEvents(client, '/api/deployments/d/events', { retryMs: 1, segmentBytes: 100, onEvent: (e) => events.push(e.event) });
    expect(events).toEqual(['status', 'status', 'log', 'end']);
    expect(calls).toHaveLength(1);
  });

  it('gives the host a turn every few milliseconds across chunks that were already buffered (one long task before)', async () => {
    // 100 chunks of 4 lines, each line taking 1 ms to handle: a chunk alone stays under the 8 ms slice, so a
    // clock started per chunk never yielded and the whole replay ran in one task.
    const chunks = Array.from({ length: 100 }, (_, c) => [1, 2, 3, 4].map((k) => log(c * 4 + k)).join(''));
    const { fn } = fakeFetch([() => streamResponse(chunks)]);
    const client = new ApiClient({ baseUrl: 'http://api', token: 't', fetch: fn });
    let sinceTurn = 0;
    let most = 0;
    let turning = true;
    const turn = () => {
      sinceTurn = 0;
      if (turning) setTimeout(turn, 0);
    };
    turn();
    const abort = new AbortController();
    await readEvents(client, '/api/deployments/d/events', {
      retryMs: 1,
      signal: abort.signal,
      onEvent: (e) => {
        if (e.event !== 'log') return;
        const until = Date.now() + 1;
        while (Date.now() < until) {
          // handling a line
        }
        most = Math.max(most, ++sinceTurn);
        if (e.data.seq === 400) abort.abort();
      },
    });
    turning = false;
    expect(most).toBeGreaterThan(2);
    expect(most).toBeLessThanOrEqual(12);
  });

  it('rejects with the API error on a refusal (no retry), including 429', async () => {
    for (const [status, code] of [[401, 'UNAUTHORIZED'], [429, 'RATE_LIMITED']] as const) {
      const { fn, calls } = fakeFetch([() => Response.json({ error: { code, message: 'no' } }, { status })]);
      const client = new ApiClient({ baseUrl: 'http://api', token: 't', fetch: fn });
      const err = await readEvents(client, '/api/events', { retryMs: 1, onEvent: () => {} }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toMatchObject({ status, code, message: 'no' });
      expect(calls).toHaveLength(1);
    }
  });

  it('with retryWhenBusy, waits out 429s with doubling waits (capped) and says so, then reads; other 4xx stay final', async () => {
    const busy = () => Response.json({ error: { code: 'RATE_LIMITED', message: 'too many streams' } }, { status: 429 });
    const { fn, calls } = fakeFetch([busy, busy, busy, busy, () => streamResponse([log(1), frame('end', { deploymentId: 'd', status: 'running', lastSeq: 1 })])]);
    const client = new ApiClient({ baseUrl: 'http://api', token: 't', fetch: fn });
    const timeouts = vi.spyOn(globalThis, 'setTimeout');
    const states: boolean[] = [];
    const seqs: number[] = [];
    await readEvents(client, '/api/events', {
      retryMs: 2,
      maxBusyWaitMs: 10,
      retryWhenBusy: true,
      onBusy: (b) => states.push(b),
      onEvent: (e) => e.event === 'log' && seqs.push(e.data.seq),
    });
    expect(calls).toHaveLength(5);
    expect(states).toEqual([true, false]);
    expect(seqs).toEqual([1]);
    expect(timeouts.mock.calls.map((c) => c[1]).filter((ms) => ms !== 0)).toEqual([2, 4, 8, 10]);

    const refused = fakeFetch([() => Response.json({ error: { code: 'UNAUTHORIZED', message: 'no' } }, { status: 401 })]);
    const other = new ApiClient({ baseUrl: 'http://api', token: 't', fetch: refused.fn });
    await expect(readEvents(other, '/api/events', { retryMs: 1, retryWhenBusy: true, onEvent: () => {} })).rejects.toMatchObject({ status: 401 });
    expect(refused.calls).toHaveLength(1);
  });

  it('stops when aborted while waiting to reconnect', async () => {
    const abort = new AbortController();
    const { fn } = fakeFetch([() => (abort.abort(), Promise.reject(new TypeError('offline')))]);
    const client = new ApiClient({ baseUrl: 'http://api', token: 't', fetch: fn });
    await expect(readEvents(client, '/api/events', { retryMs: 60_000, signal: abort.signal, onEvent: () => {} })).resolves.toBeUndefined();
  });
});

describe('ApiClient', () => {
  it('turns error bodies, non-JSON answers and network failures into ApiError', async () => {
    const { fn } = fakeFetch([
      () => Response.json({ error: { code: 'NOT_FOUND', message: 'no such deployment' } }, { status: 404 }),
      () => new Response('<html>bad gateway</html>', { status: 502 }),
      () => Promise.reject(new TypeError('fetch failed')),
    ]);
    const client = new ApiClient({ baseUrl: 'http://api/', token: undefined, fetch: fn });
    await expect(client.getDeployment('x')).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND', message: 'no such deployment' });
    await expect(client.getDeployment('x')).rejects.toMatchObject({ status: 502, code: 'HTTP_502' });
    await expect(client.getDeployment('x')).rejects.toMatchObject({ status: 0, code: 'UNREACHABLE', message: expect.stringContaining('http://api') });
  });

  it('sends JSON with a content type and the token, and encodes path segments', async () => {
    const urls: string[] = [];
    const fn = (async (url: string, init: RequestInit) => {
      urls.push(url);
      expect((init.headers as Record<string, string>)['content-type']).toBe('application/json');
      expect((init.headers as Record<string, string>).authorization).toBe('Bearer tok');
      return Response.json({ id: 'a' }, { status: 202 });
    }) as unknown as typeof fetch;
    const client = new ApiClient({ baseUrl: 'http://api', token: 'tok', fetch: fn });
    await client.createDeployment({ gitUrl: 'https://example.com/r.git' });
    await client.request('POST', `/api/deployments/${encodeURIComponent('../x')}/cancel`, {});
    expect(urls).toEqual(['http://api/api/deployments', 'http://api/api/deployments/..%2Fx/cancel']);
  });
});
