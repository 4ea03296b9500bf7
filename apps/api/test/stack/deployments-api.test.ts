import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { deploymentQueueName } from '@berth/shared/jobs';
import { eventsChannel, queuePrefix } from '@berth/shared/redis-keys';
import { createRedis } from '@berth/shared/redis';
import { ArchiveStore } from '@berth/shared/archive-store';
import { decodeEvent, type BerthEvent } from '@berth/shared/events';
import { createLogger } from '@berth/shared/logger';
import { sealedPlace } from '@berth/shared/secret-box';
import { buildApp } from '@berth/api/app';
import { BullDeploymentQueue } from '@berth/api/deployment-queue';
import { zipEntries, zipTestApp } from '@berth/testing/archives';
import { multipartBody } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { authHeaders, startStack, type Stack } from '@berth/testing/stack';

// The API on real Postgres and Redis, with no worker: jobs stay queued.
let stack: Stack;
let queue: Queue;
beforeAll(async () => {
  stack = await startStack({ workers: 0, router: false, env: { MAX_ARCHIVE_BYTES: '65536' } });
  queue = new Queue(deploymentQueueName, { connection: createRedis(inject('redisUrl')), prefix: queuePrefix(stack.instance) });
});
afterAll(async () => {
  await queue?.close();
  await stack?.close();
});

const post = (payload: unknown) =>
  stack.inject({ method: 'POST', url: '/api/deployments', payload: payload as object });

async function postArchive(data: Buffer, name = 'app.zip', fields: Record<string, string> = {}) {
  const body = await multipartBody(fields, { name, data });
  return stack.inject({ method: 'POST', url: '/api/deployments', ...body });
}

function expectError(res: { statusCode: number; json(): any }, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  expect(res.json()).toEqual({ error: { code, message: expect.any(String) } });
}

describe('POST /api/deployments', () => {
  it('accepts a git URL, stores the row and enqueues a job whose id is the deployment id', async () => {
    const res = await post({ gitUrl: 'https://example.com/acme/shop.git', env: { A: '1' }, port: 8080 });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({
      status: 'queued',
      project: 'shop',
      port: 8080,
      envKeys: ['A'],
      source: { type: 'git', gitUrl: 'https://example.com/acme/shop.git', ref: null, rootDir: '' },
      links: { self: `/api/deployments/${body.id}` },
    });
    expect(res.headers.location).toBe(`/api/deployments/${body.id}`);
    const job = await queue.getJob(body.id);
    expect(job?.data).toEqual({ deploymentId: body.id });
    expect(JSON.stringify(body)).not.toContain('"1"'); // env values are never echoed
  });

  it('stores env values sealed (their keys in the clear), and an empty env as nothing to seal', async () => {
    const withEnv = (await post({ gitUrl: 'https://example.com/acme/sealed.git', env: { TOKEN: 'hunter2' } })).json();
    const without = (await post({ gitUrl: 'https://example.com/acme/sealed.git' })).json();
    const rows = await stack.db.store.getMany([withEnv.id, without.id]);
    const sealed = rows.get(withEnv.id)!;
    expect(sealed.env).toEqual({ TOKEN: '' });
    expect(sealed.env_sealed).not.toContain('hunter2');
    // Sealed for its project's env (issue 24, door 11): it opens there.
    expect(stack.apiDeps().secrets.openOr(sealed.env_sealed, sealed.env, sealedPlace(sealed.project, 'env'))).toEqual({ TOKEN: 'hunter2' });
    const empty = rows.get(without.id)!;
    expect(empty).toMatchObject({ env: {}, env_sealed: null });
    expect(stack.apiDeps().secrets.openOr(empty.env_sealed, empty.env)).toEqual({});
  });

  it('accepts a zip upload with form fields', async () => {
    const res = await postArchive(await zipTestApp('hello'), 'my-app.zip', { port: '4000', env: '{"X":"y"}' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ project: 'my-app', port: 4000, envKeys: ['X'], source: { type: 'archive', format: 'zip' } });
    expect(await new ArchiveStore(stack.db.db).get(res.json().id)).toBeInstanceOf(Buffer);
  });

  it('rejects a request with neither archive nor gitUrl', async () => {
    expectError(await post({}), 400, 'SOURCE_MISSING');
    expectError(await stack.inject({ method: 'POST', url: '/api/deployments' }), 400, 'SOURCE_MISSING');
  });

  it('rejects both an archive and a gitUrl', async () => {
    const res = await postArchive(await zipTestApp('hello'), 'a.zip', { gitUrl: 'https://example.com/a.git' });
    expectError(res, 400, 'SOURCE_AMBIGUOUS');
  });

  it('rejects a file that is not a zip or tar.gz', async () => {
    expectError(await postArchive(Buffer.from('just some text, not an archive'), 'notes.zip'), 400, 'INVALID_ARCHIVE');
    expectError(await postArchive(Buffer.alloc(0), 'empty.zip'), 400, 'INVALID_ARCHIVE');
  });

  it('rejects an archive over the size limit with 413', async () => {
    const big = await zipEntries([{ name: 'Dockerfile', content: 'FROM x' }, { name: 'blob', content: randomBytes(70_000) }]);
    expectError(await postArchive(big), 413, 'PAYLOAD_TOO_LARGE');
  });

  it.each([
    ['file:///etc/passwd', 'INVALID_GIT_URL'],
    ['ext::sh -c touch% /tmp/pwned', 'INVALID_GIT_URL'],
    ['--upload-pack=touch /tmp/pwned', 'INVALID_GIT_URL'],
    ['-oProxyCommand=evil', 'INVALID_GIT_URL'],
    ['ssh://git@example.com/repo.git', 'INVALID_GIT_URL'],
    ['not a url', 'INVALID_GIT_URL'],
  ])('rejects gitUrl %s', async (gitUrl, code) => {
    expectError(await post({ gitUrl }), 400, code);
  });

  it('rejects an option-looking ref and a rootDir that escapes the source', async () => {
    expectError(await post({ gitUrl: 'https://example.com/a.git', ref: '--upload-pack=x' }), 400, 'VALIDATION_FAILED');
    expectError(await post({ gitUrl: 'https://example.com/a.git', rootDir: '../../etc' }), 400, 'VALIDATION_FAILED');
  });

  it('rejects bad ports, env and unknown fields', async () => {
    expectError(await post({ gitUrl: 'https://example.com/a.git', port: 70000 }), 400, 'VALIDATION_FAILED');
    expectError(await post({ gitUrl: 'https://example.com/a.git', env: { 'BAD-NAME': 'x' } }), 400, 'VALIDATION_FAILED');
    expectError(await post({ gitUrl: 'https://example.com/a.git', env: { A: 1 } }), 400, 'VALIDATION_FAILED');
    expectError(await post({ gitUrl: 'https://example.com/a.git', bogus: true }), 400, 'VALIDATION_FAILED');
    expectError(await postArchive(await zipTestApp('hello'), 'a.zip', { env: 'not json' }), 400, 'VALIDATION_FAILED');
  });

  it('rejects malformed JSON and unsupported content types', async () => {
    const bad = await stack.inject({
      method: 'POST',
      url: '/api/deployments',
      headers: { 'content-type': 'application/json' },
      payload: '{"gitUrl":',
    });
    expectError(bad, 400, 'VALIDATION_FAILED');
    const xml = await stack.inject({
      method: 'POST',
      url: '/api/deployments',
      headers: { 'content-type': 'application/xml' },
      payload: '<deploy/>',
    });
    expectError(xml, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 503 and leaves no queued row behind when the queue is unreachable', async () => {
    const deadQueue = new BullDeploymentQueue('redis://127.0.0.1:1', stack.instance, 300);
    const app = await buildApp({ ...stack.apiDeps(), queue: deadQueue, logger: createLogger('test', 'silent') });
    const subscriber = createRedis(inject('redisUrl'));
    const events: BerthEvent[] = [];
    subscriber.on('message', (_channel: string, raw: string) => {
      const event = decodeEvent(raw);
      if (event) events.push(event);
    });
    await subscriber.subscribe(eventsChannel(stack.instance));
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/api/deployments',
        headers: authHeaders,
        payload: { gitUrl: 'https://example.com/q.git' },
      });
      expectError(res, 503, 'QUEUE_UNAVAILABLE');
      const queued = await stack.db.store.list({ limit: 100, status: 'queued', project: 'q' });
      expect(queued.items).toEqual([]);
      const failed = await stack.db.store.list({ limit: 100, status: 'failed', project: 'q' });
      expect(failed.items).toHaveLength(1);
      expect(failed.items[0]!.error_code).toBe('QUEUE_UNAVAILABLE');
      // Announced like every status change: a viewer of the deployment sees it fail.
      await waitFor('the failure announced', async () => events.length > 0, 5000);
      expect(events).toEqual([
        {
          type: 'status',
          deploymentId: failed.items[0]!.id,
          status: 'failed',
          errorCode: 'QUEUE_UNAVAILABLE',
          errorMessage: expect.any(String),
          at: failed.items[0]!.updated_at.toISOString(),
        },
      ]);
    } finally {
      await subscriber.quit();
      await app.close();
      await deadQueue.close().catch(() => {});
    }
  });
});

describe('reading deployments', () => {
  it('404s an unknown id with an error body', async () => {
    expectError(await stack.inject({ method: 'GET', url: '/api/deployments/doesnotexist1' }), 404, 'NOT_FOUND');
    expectError(await stack.inject({ method: 'GET', url: '/api/deployments/doesnotexist1/logs' }), 404, 'NOT_FOUND');
    expectError(await stack.inject({ method: 'GET', url: '/api/deployments/doesnotexist1/events' }), 404, 'NOT_FOUND');
    expectError(await stack.inject({ method: 'GET', url: '/api/deployments/BAD!id' }), 400, 'VALIDATION_FAILED');
    expectError(await stack.inject({ method: 'GET', url: '/api/nothing-here' }), 404, 'NOT_FOUND');
  });

  it('lists newest first with cursor pagination and a status filter', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await post({ gitUrl: `https://example.com/p${i}.git` })).json().id);
    await stack.db.lifecycle.transition(ids[1]!, ['queued'], 'failed', { errorCode: 'BUILD_FAILED', errorMessage: 'x' });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { statusCode: number; json(): any } = await stack.inject({
        method: 'GET',
        url: `/api/deployments?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      });
      expect(res.statusCode).toBe(200);
      const page: { items: any[]; nextCursor: string | null } = res.json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((d: any) => d.id));
      cursor = page.nextCursor;
    } while (cursor);
    const mine = seen.filter((id) => ids.includes(id));
    expect(mine).toEqual([...ids].reverse());
    expect(new Set(seen).size).toBe(seen.length);

    const failed = (await stack.inject({ method: 'GET', url: '/api/deployments?status=failed' })).json();
    expect(failed.items.map((d: any) => d.id).filter((id: string) => ids.includes(id))).toEqual([ids[1]]);
    expect(failed.items.find((d: any) => d.id === ids[1])).toMatchObject({ status: 'failed', errorCode: 'BUILD_FAILED' });

    expectError(await stack.inject({ method: 'GET', url: '/api/deployments?status=bogus' }), 400, 'VALIDATION_FAILED');
    expectError(await stack.inject({ method: 'GET', url: '/api/deployments?cursor=zzz' }), 400, 'VALIDATION_FAILED');
    expectError(await stack.inject({ method: 'GET', url: '/api/deployments?limit=0' }), 400, 'VALIDATION_FAILED');
  });

  it('serves health endpoints', async () => {
    // Open without a token.
    expect((await stack.api.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ ok: true });
    expect((await stack.api.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ ok: true });
  });
});
