import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipTestApp } from '@berth/testing/archives';
import { multipartBody, SseClient } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { startStack, testToken, type Stack } from '@berth/testing/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    workers: 0,
    router: false,
    env: { MAX_LOG_RESPONSE_BYTES: String(256 * 1024), MAX_EVENT_STREAMS_PER_TOKEN: '3', MAX_CONCURRENT_UPLOADS: '2', UPLOAD_SLOT_WAIT_MS: '1500' },
  });
});
afterAll(async () => {
  await stack?.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('bounded resources per client', () => {
  it('caps a logs page by count and by bytes, and paging still returns every line once', async () => {
    const { id } = (await stack.inject({ method: 'POST', url: '/api/deployments', payload: { gitUrl: 'https://example.com/a.git' } })).json();
    const big = 'x'.repeat(16 * 1024);
    await stack.db.db
      .insertInto('deployment_logs')
      .values(Array.from({ length: 100 }, (_, i) => ({ deployment_id: id, seq: i + 1, ts: new Date(), stream: 'build' as const, line: `${i + 1} ${big}` })))
      .execute();

    const tooMany = await stack.inject({ method: 'GET', url: `/api/deployments/${id}/logs?limit=100000` });
    expect(tooMany.statusCode).toBe(400);

    const seen: number[] = [];
    let since = 0;
    for (let page = 0; page < 20; page++) {
      const res = await stack.inject({ method: 'GET', url: `/api/deployments/${id}/logs?limit=1000&since=${since}` });
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.length).toBeLessThan(256 * 1024 + 32 * 1024);
      const body = res.json();
      seen.push(...body.lines.map((l: { seq: number }) => l.seq));
      since = body.nextSince;
      if (!body.hasMore) break;
      expect(body.lines.length).toBeLessThan(100);
    }
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('refuses (429) event streams past the per-token cap, without touching other tokens, and frees a slot on close', async () => {
    const streams = await Promise.all([1, 2, 3].map(() => SseClient.open(`${stack.apiUrl}/api/events`)));
    await expect(SseClient.open(`${stack.apiUrl}/api/events`)).rejects.toThrow(/429/);
    const res = await fetch(`${stack.apiUrl}/api/events`, { headers: bearer(testToken) });
    expect(res.status).toBe(429);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');

    const other = (await stack.inject({ method: 'POST', url: '/api/tokens', payload: { name: 'viewer', scope: 'read' } })).json().token;
    const theirs = await SseClient.open(`${stack.apiUrl}/api/events`, { headers: bearer(other) });

    streams[0]!.close();
    const again = await waitFor('a slot to free up', () => SseClient.open(`${stack.apiUrl}/api/events`).catch(() => undefined), 5000, 100);
    for (const s of [...streams.slice(1), theirs, again]) s.close();
  });

  it('answers HEAD on an event stream without opening a stream that would never end', async () => {
    for (const url of ['/api/events', '/api/deployments/abcdefghijkl/events']) {
      const res = await fetch(`${stack.apiUrl}${url}`, { method: 'HEAD', headers: bearer(testToken), signal: AbortSignal.timeout(5000) });
      expect(res.headers.get('content-type') ?? '').not.toContain('text/event-stream');
    }
  });

  it('lets a burst of quick uploads past the cap wait for a slot instead of refusing them', async () => {
    const body = await multipartBody({}, { name: 'app.zip', data: await zipTestApp('hello') });
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => stack.inject({ method: 'POST', url: '/api/deployments', ...body })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(6).fill(202));
  });

  it('reads a bounded number of uploads at once (429 once none frees up in time) and frees the slot when an upload is abandoned', async () => {
    const { port } = new URL(stack.apiUrl);
    const slow = await Promise.all(
      [1, 2].map(
        () =>
          new Promise<net.Socket>((resolve, reject) => {
            const boundary = 'slowboundary';
            const socket = net.connect(Number(port), '127.0.0.1', () => {
              socket.write(
                [
                  'POST /api/deployments HTTP/1.1',
                  'Host: localhost',
                  `Authorization: Bearer ${testToken}`,
                  `Content-Type: multipart/form-data; boundary=${boundary}`,
                  'Content-Length: 50000000',
                  '',
                  `--${boundary}`,
                  'Content-Disposition: form-data; name="projectArchive"; filename="app.zip"',
                  'Content-Type: application/zip',
                  '',
                  'PK\u0003\u0004 and then nothing for a long time',
                ].join('\r\n'),
              );
              resolve(socket);
            });
            socket.on('error', reject);
          }),
      ),
    );
    const upload = async () =>
      stack.inject({ method: 'POST', url: '/api/deployments', ...(await multipartBody({}, { name: 'app.zip', data: await zipTestApp('hello') })) });
    const refused = await waitFor('the slow uploads to hold both slots', async () => {
      const res = await upload();
      return res.statusCode === 429 ? res : undefined;
    }, 5000, 50);
    expect(refused.json().error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    for (const s of slow) s.destroy();
    const accepted = await waitFor('a slot after the uploads were abandoned', async () => {
      const res = await upload();
      return res.statusCode === 202 ? res : undefined;
    }, 5000, 100);
    expect(accepted.json().status).toBe('queued');
  });
});
