import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploymentQueueName } from '@berth/shared/jobs';
import { queuePrefix } from '@berth/shared/redis-keys';
import { createRedis } from '@berth/shared/redis';
import { zipTestApp } from '@berth/testing/archives';
import { createDeployment, logLines, settled } from '@berth/testing/deployments';
import { request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { runtimeWait } from '@berth/testing/runtime-wait';
import { instanceContainers, instanceImages, startStack, type Stack } from '@berth/testing/stack';

let stack: Stack;
let queue: Queue;
beforeAll(async () => {
  stack = await startStack({ env: { WORKER_CONCURRENCY: '1' } });
  queue = new Queue(deploymentQueueName, { connection: createRedis(stack.env.REDIS_URL!), prefix: queuePrefix(stack.instance) });
});
afterAll(async () => {
  await queue?.close();
  await stack?.close();
});

const cancel = (id: string) => stack.inject({ method: 'POST', url: `/api/deployments/${id}/cancel` });
const remove = (id: string) => stack.inject({ method: 'DELETE', url: `/api/deployments/${id}` });
const mine = async (id: string) => ({
  containers: (await instanceContainers(stack.instance)).filter((c) => c.Labels['dev.berth.deployment'] === id),
  images: (await instanceImages(stack.instance)).filter((t) => t.includes(id)),
});

describe('cancel and delete', () => {
  it('cancels a build in progress and a queued deployment behind it; the worker is free again', async () => {
    const building = await createDeployment(stack, { archive: await zipTestApp('slow', { 'nonce.txt': String(Math.random()) }) });
    const queued = await createDeployment(stack, { archive: await zipTestApp('hello') });
    await waitFor('build under way', async () => (await logLines(stack, building.id)).some((l) => l.line === 'slow build starting'));
    expect((await stack.db.store.get(queued.id))!.status).toBe('queued'); // concurrency 1

    const started = Date.now();
    const res = await cancel(building.id);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'canceled', errorCode: 'CANCELED' });
    const q = await cancel(queued.id);
    expect(q.json().status).toBe('canceled');
    expect(await queue.getJob(queued.id)).toBeUndefined();

    // The build is aborted (not left to finish its 4 s sleep) and leaves nothing behind.
    await waitFor('build aborted and cleaned up', async () => {
      const left = await mine(building.id);
      return left.containers.length === 0 && left.images.length === 0 && (await logLines(stack, building.id)).some((l) => /canceled|already canceled/.test(l.line));
    }, 15_000);
    expect(Date.now() - started).toBeLessThan(4000);

    const next = await createDeployment(stack, { archive: await zipTestApp('hello') });
    expect((await settled(stack, next.id)).status).toBe('running');
    expect((await stack.db.store.get(queued.id))!.status).toBe('canceled'); // never ran
  });

  it('will not cancel a running deployment (409) but DELETE stops it, removes its container and its route, and keeps its image as a release', async () => {
    const d = await createDeployment(stack, { archive: await zipTestApp('hello') });
    expect((await settled(stack, d.id)).status).toBe('running');
    await waitFor('route', async () => (await request(`${stack.caddyUrl}/`, { host: `${d.id}.localhost` })).status === 200);

    const refused = await cancel(d.id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('CONFLICT');

    const res = await remove(d.id);
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('stopped');
    await waitFor('route gone', async () => (await request(`${stack.caddyUrl}/`, { host: `${d.id}.localhost` })).status === 404, 10_000);
    await waitFor('container gone', async () => (await mine(d.id)).containers.length === 0, 15_000);
    // A stopped release keeps its image (RELEASES_KEPT per project): a rollback starts it again without a build.
    expect((await mine(d.id)).images).toHaveLength(1);

    expect((await remove(d.id)).json().status).toBe('stopped'); // idempotent
    expect((await cancel(d.id)).statusCode).toBe(409);
    expect((await remove('nosuchdeploy')).statusCode).toBe(404);
  });

  it('deleted under steady traffic: every request gets an answer (the app while it drains, then 404), none is left hanging', async () => {
    const d = await createDeployment(stack, { archive: await zipTestApp('hello') });
    expect((await settled(stack, d.id)).status).toBe('running');
    const host = `${d.id}.localhost`;
    await waitFor('route', async () => (await request(`${stack.caddyUrl}/`, { host })).status === 200);

    // Clients back to back, so some request is always in flight when the deployment goes: Caddy must not be
    // cut off from the app while one is (it would wait for an answer that never comes).
    let deleted = false;
    let routeGone = false;
    const outcomes = new Map<string, number>();
    const client = async () => {
      while (!routeGone) {
        const sentAfterDelete = deleted;
        let outcome: string;
        try {
          const { status } = await request(`${stack.caddyUrl}/`, { host });
          outcome = String(status);
          if (status === 404 && sentAfterDelete) routeGone = true;
        } catch (err) {
          outcome = `no answer: ${(err as Error).message}`;
        }
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
    };
    const clients = Array.from({ length: 8 }, client);
    await new Promise((r) => setTimeout(r, 300));
    deleted = true;
    expect((await remove(d.id)).statusCode).toBe(200);
    const stopAfter = setTimeout(() => (routeGone = true), runtimeWait(30_000));
    await Promise.all(clients);
    clearTimeout(stopAfter);
    const answered = Object.fromEntries(outcomes);
    expect(Object.keys(answered).sort(), JSON.stringify(answered)).toEqual(['200', '404']);
    await waitFor('container gone', async () => (await mine(d.id)).containers.length === 0, runtimeWait(15_000));
  });
});
