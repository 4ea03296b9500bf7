import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { decodeEvent, type BerthEvent } from '@berth/shared/events';
import { deploymentQueueName } from '@berth/shared/jobs';
import { createRedis } from '@berth/shared/redis';
import { eventsChannel, queuePrefix } from '@berth/shared/redis-keys';
import { deploymentPayload } from '@berth/shared/webhook-outbox';
import { waitFor } from '@berth/testing/ports';
import { startStack, type Stack } from '@berth/testing/stack';

// The enqueue path's statements (the project read or made, superseding, one deployment's view): on real Postgres and Redis, no worker.
let stack: Stack;
let queue: Queue;
beforeAll(async () => {
  stack = await startStack({ workers: 0, router: false });
  queue = new Queue(deploymentQueueName, { connection: createRedis(inject('redisUrl')), prefix: queuePrefix(stack.instance) });
});
afterAll(async () => {
  await queue?.close();
  await stack?.close();
});

const post = async (name: string) => {
  const res = await stack.inject({ method: 'POST', url: '/api/deployments', payload: { gitUrl: 'https://example.com/a.git', name } });
  expect(res.statusCode).toBe(202);
  return res.json().id as string;
};

describe('superseding queued deployments', () => {
  it('cancels every older queued one of the project with its transition, event, webhook delivery and job, and keeps the newest', async () => {
    const first = await post('sup');
    await post('sup-other'); // another project: untouched
    const { db } = stack.db;
    await db.insertInto('webhooks').values({ id: 'wh_sup', project: 'sup', url: 'https://example.com/hook', events: ['deployment.canceled'], secret_sealed: 'x' }).execute();
    await db.insertInto('webhooks').values({ id: 'wh_sup_run', project: 'sup', url: 'https://example.com/hook', events: ['deployment.running'], secret_sealed: 'x' }).execute();
    const subscriber = createRedis(inject('redisUrl'));
    const events: BerthEvent[] = [];
    subscriber.on('message', (_c: string, raw: string) => {
      const event = decodeEvent(raw);
      if (event?.type === 'status') events.push(event);
    });
    await subscriber.subscribe(eventsChannel(stack.instance));
    try {
      // Concurrent enqueues into one project: the newest always survives, each older one is canceled once.
      const ids = [first, ...(await Promise.all(Array.from({ length: 8 }, () => post('sup'))))];
      const rows = await db.selectFrom('deployments').selectAll().where('project', '=', 'sup').orderBy('created_at').orderBy('id').execute();
      expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
      // Within one API process exactly one survives, and it is of the newest (of several made in the same millisecond, the one that came last).
      const queuedRows = rows.filter((r) => r.status === 'queued');
      expect(queuedRows).toHaveLength(1);
      const newest = queuedRows[0]!;
      expect(newest.created_at.getTime()).toBe(rows.at(-1)!.created_at.getTime());
      const canceled = rows.filter((r) => r.status === 'canceled');
      expect(canceled.map((r) => r.id)).toContain(first);
      expect(rows.filter((r) => r.status !== 'canceled' && r.status !== 'queued')).toEqual([]);
      for (const row of canceled) {
        expect(row).toMatchObject({ error_code: 'SUPERSEDED', finished_at: expect.any(Date) });
        expect(row.error_message).toMatch(/^superseded by the newer deployment [a-z0-9]+ of sup$/);
        const history = await stack.db.history.list(row.id);
        expect(history.map((t) => t.status)).toEqual(['queued', 'canceled']);
        expect(await queue.getJob(row.id)).toBeUndefined();
      }
      expect(await queue.getJob(newest.id)).toBeDefined();

      // The outbox: one delivery per canceled deployment to the hook that asked for the event, deploymentPayload's shape.
      const deliveries = await db.selectFrom('webhook_deliveries').selectAll().orderBy('id').execute();
      expect(deliveries.map((d) => d.webhook_id)).toEqual(canceled.map(() => 'wh_sup'));
      for (const d of deliveries) {
        const payload = d.payload as unknown as { id: string; event: string; createdAt: string; project: string; data: { id: string } };
        const row = canceled.find((r) => r.id === payload.data.id)!;
        expect(payload).toEqual({ id: d.id, event: 'deployment.canceled', createdAt: row.updated_at.toISOString(), project: 'sup', data: deploymentPayload(row) });
        expect(d.id).toMatch(/^whd_[0-9a-f]{20}$/);
        expect(d.event).toBe('deployment.canceled');
      }
      expect(new Set(deliveries.map((d) => d.id)).size).toBe(deliveries.length);

      await waitFor('the cancellations announced', () => events.length >= canceled.length, 5000);
      expect(events.map((e) => e.type === 'status' && e.deploymentId).sort()).toEqual(canceled.map((r) => r.id).sort());
      const other = await db.selectFrom('deployments').select('status').where('project', '=', 'sup-other').execute();
      expect(other).toEqual([{ status: 'queued' }]);
    } finally {
      await subscriber.quit();
    }
  });
});

describe('superseding in a batch', () => {
  it('lets the last of one lane win, whatever its id, even when all were made in the same millisecond', async () => {
    const { store, lifecycle, db } = stack.db;
    const ids = ['zzzzbatch001', 'mmmmbatch002', 'aaaabatch003']; // arrival order: the last has the smallest id
    const made = await store.createMany(ids.map((id) => ({ id, project: 'batch', sourceType: 'git' as const, gitUrl: 'https://x/y.git', rootDir: '', port: 3000, env: {} })));
    expect(made.map((r) => r.id)).toEqual(ids);
    const at = new Date('2026-01-01T00:00:00.000Z');
    await db.updateTable('deployments').set({ created_at: at }).where('project', '=', 'batch').execute();
    const superseded = await lifecycle.supersedeQueued(made.map((r) => ({ ...r, created_at: at })));
    expect(superseded.sort()).toEqual(['mmmmbatch002', 'zzzzbatch001']);
    const rows = await db.selectFrom('deployments').select(['id', 'status', 'error_message']).where('project', '=', 'batch').orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'aaaabatch003', status: 'queued', error_message: null },
      { id: 'mmmmbatch002', status: 'canceled', error_message: 'superseded by the newer deployment aaaabatch003 of batch' },
      { id: 'zzzzbatch001', status: 'canceled', error_message: 'superseded by the newer deployment aaaabatch003 of batch' },
    ]);
  });
});

describe('the project of a new deployment', () => {
  it('is made once by concurrent first deployments, with the source’s settings', async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, () => post('first-use')));
    expect(new Set(ids).size).toBe(6);
    const projects = await stack.db.db.selectFrom('projects').selectAll().where('name', '=', 'first-use').execute();
    expect(projects).toHaveLength(1);
    expect(projects[0]).toMatchObject({ git_url: 'https://example.com/a.git', health_path: '/' });
  });

  it('refuses a name no new project may have, unless that project exists already', async () => {
    const refused = await stack.inject({ method: 'POST', url: '/api/deployments', payload: { gitUrl: 'https://example.com/a.git', name: 'api' } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toEqual({ error: { code: 'VALIDATION_FAILED', message: 'name "api" cannot be used: api is reserved' } });
    expect(await stack.db.db.selectFrom('projects').select('name').where('name', '=', 'api').execute()).toEqual([]);
    // Made before the rule was (here: straight in the database): deploying to it goes on.
    await stack.db.db.insertInto('projects').values({ name: 'api', id: 'prj_old_api', current_deployment_id: null, updated_at: new Date() }).execute();
    await post('api');
  });
});

describe('GET /api/deployments/:id', () => {
  const get = async (id: string) => (await stack.inject({ method: 'GET', url: `/api/deployments/${id}` })).json();

  it('shows the place in the queue while queued and whether the project URL serves it', async () => {
    const [a, b, c] = [await post('place-a'), await post('place-b'), await post('place-c')];
    const [pa, pb, pc] = [(await get(a)).queuePosition, (await get(b)).queuePosition, (await get(c)).queuePosition];
    expect(pa).toBeGreaterThanOrEqual(1);
    expect([pb, pc]).toEqual([pa + 1, pa + 2]);
    // The places are the queue's own (its wait list), not a count of rows.
    expect(await stack.apiDeps().queue.placesOf!([a, b, c])).toEqual(new Map([[a, pa], [b, pb], [c, pc]]));

    expect((await stack.inject({ method: 'POST', url: `/api/deployments/${a}/cancel` })).statusCode).toBe(200);
    expect(await get(a)).toMatchObject({ status: 'canceled', queuePosition: null, current: false });
    expect((await get(b)).queuePosition).toBe(pa);

    await stack.db.db.updateTable('projects').set({ current_deployment_id: b }).where('name', '=', 'place-b').execute();
    expect(await get(b)).toMatchObject({ id: b, project: 'place-b', status: 'queued', current: true });
    expect((await get(c)).current).toBe(false);

    // The project list shows each project's current deployment (read for all projects in one query).
    await stack.db.db.updateTable('projects').set({ current_deployment_id: c }).where('name', '=', 'place-c').execute();
    const listed = (await stack.inject({ method: 'GET', url: '/api/projects' })).json().items as { name: string; currentDeployment: { id: string; current: boolean } | null }[];
    const current = Object.fromEntries(listed.filter((p) => p.name.startsWith('place-')).map((p) => [p.name, p.currentDeployment?.id ?? null]));
    expect(current).toEqual({ 'place-a': null, 'place-b': b, 'place-c': c });
    expect(listed.find((p) => p.name === 'place-b')!.currentDeployment!.current).toBe(true);
  });

  it('shows a status change to a GET made right after its event, even with reads under way when it changed', async () => {
    const id = await post('fresh-after-event');
    // Reads under way all along (some share a statement): none that began before the change may answer a GET made after its event.
    let reading = true;
    const background = (async () => {
      while (reading) await Promise.all([get(id), get(id), get(id)]);
    })();
    const seen: string[] = [];
    const heard = new Promise<void>((resolve) => {
      const stop = stack.relay.subscribe(id, (event) => {
        if (event.type !== 'status') return;
        stop();
        // Straight from the event's listener: the next GET.
        void get(id).then((view) => (seen.push(view.status), resolve()));
      });
    });
    await stack.apiDeps().lifecycle.transition(id, ['queued'], 'fetching');
    await heard;
    reading = false;
    await background;
    expect(seen).toEqual(['fetching']);
    expect(await get(id)).toMatchObject({ status: 'fetching', queuePosition: null });
  });
});
