import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipTestApp } from '@berth/testing/archives';
import { createDeployment, logLines, settled } from '@berth/testing/deployments';
import { runtimeWait } from '@berth/testing/runtime-wait';
import { waitFor } from '@berth/testing/ports';
import { startPrivatePostgres, type PrivatePostgres } from '@berth/testing/private-postgres';
import { startPrivateRedis, type PrivateRedis } from '@berth/testing/processes';
import { startStack, type Stack } from '@berth/testing/stack';

// The whole platform on a Redis and a Postgres of the test's own, which it restarts.
let redis: PrivateRedis;
let pg: PrivatePostgres;
let stack: Stack;
beforeAll(async () => {
  redis = await startPrivateRedis();
  pg = await startPrivatePostgres();
  stack = await startStack({
    router: false,
    workers: 0,
    databaseUrl: pg.url,
    env: { REDIS_URL: redis.url, ORPHAN_GRACE_MS: '1000', REAPER_INTERVAL_MS: '500', QUEUE_TIMEOUT_MS: '500' },
  });
});
afterAll(async () => {
  await stack?.close();
  await redis?.stop();
  await pg?.destroy();
});

describe('Redis restarted (its data lost)', () => {
  it('refuses deployments with 503 while it is down, and a job lost with it is enqueued again', async () => {
    const accepted = await createDeployment(stack, { archive: await zipTestApp('hello') }); // queued; no worker yet
    await redis.restart(0); // the job is gone with Redis' memory
    await stack.addWorker();
    expect((await settled(stack, accepted.id, runtimeWait(30_000))).status).toBe('running');

    await redis.stop();
    const refused = await stack.inject({ method: 'POST', url: '/api/deployments', payload: { gitUrl: 'https://example.com/a.git' } });
    expect(refused.statusCode).toBe(503);
    expect(refused.json().error.code).toBe('QUEUE_UNAVAILABLE');
    await redis.restart(0);

    // Everything reconnects by itself: a new deployment goes through (a client retries a 503), logs stream again.
    const archive = await zipTestApp('hello');
    const after = await waitFor('the API to accept deployments again', () => createDeployment(stack, { archive }).catch(() => undefined), 10_000, 200);
    expect((await settled(stack, after.id, runtimeWait(30_000))).status).toBe('running');
    expect((await logLines(stack, after.id)).map((l) => l.line)).toContain('deployment is live');
  });
});

describe('Postgres restarted', () => {
  it('answers 503 while it is down and finishes a build that was running across the restart, losing no log line or status', async () => {
    if (stack.workers.length === 0) await stack.addWorker();
    const d = await createDeployment(stack, { archive: await zipTestApp('slow', { 'nonce.txt': String(Math.random()) }) });
    await waitFor('build under way', async () => (await logLines(stack, d.id)).some((l) => l.line === 'slow build starting'), 30_000);
    await pg.stop();
    const down = await stack.inject({ method: 'GET', url: '/api/deployments' });
    expect(down.statusCode).toBe(503);
    expect(down.json().error.code).toBe('STORE_UNAVAILABLE');
    await new Promise((r) => setTimeout(r, 1500));
    await pg.start();

    const final = await settled(stack, d.id, runtimeWait(60_000));
    expect(final.status).toBe('running');
    const lines = await logLines(stack, d.id);
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1));
    expect(lines.map((l) => l.line)).toContain('slow build done');
    const timeline = (await stack.db.history.list(d.id)).map((t) => t.status);
    expect(timeline).toEqual(['queued', 'fetching', 'building', 'starting', 'running']);
  });
});
