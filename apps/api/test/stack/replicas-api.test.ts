import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { decodeControlMessage, type ControlMessage } from '@berth/shared/control-messages';
import type { DeploymentStatus } from '@berth/shared/deployment-state';
import { createRedis, type Redis } from '@berth/shared/redis';
import { controlChannel } from '@berth/shared/redis-keys';
import { buildApp } from '../../src/app.ts';
import { waitFor } from '@berth/testing/ports';
import { deploymentIn, storedReplicas } from '@berth/testing/replicas';
import { authHeaders, startStack, type Stack } from '@berth/testing/stack';

// The API on real Postgres and Redis in swarm mode (SWARM_MAX_REPLICAS=5), no workers: the rows are
// made here, and what a worker would be told is read from the control channel.
let stack: Stack;
let subscriber: Redis;
const messages: ControlMessage[] = [];

beforeAll(async () => {
  stack = await startStack({ workers: 0, router: false, env: { BERTH_RUNTIME: 'swarm', SWARM_MAX_REPLICAS: '5' } });
  subscriber = createRedis(stack.env.REDIS_URL!);
  subscriber.on('message', (_channel: string, raw: string) => {
    const m = decodeControlMessage(raw);
    if (m) messages.push(m);
  });
  await subscriber.subscribe(controlChannel(stack.instance));
}, 60_000);

afterAll(async () => {
  await subscriber?.quit();
  await stack?.close();
});

const deployment = (project: string, status: DeploymentStatus, current = false) => deploymentIn(stack, project, status, { current });

const stored = (id: string) => storedReplicas(stack, id);
const patch = (url: string, payload: unknown, app?: FastifyInstance) =>
  app ? app.inject({ method: 'PATCH', url, payload: payload as object, headers: authHeaders }) : stack.inject({ method: 'PATCH', url, payload: payload as object });
const scaleMessages = (id: string) => messages.filter((m) => m.type === 'scale' && m.deploymentId === id);

describe('PATCH /api/deployments/:id { replicas }', () => {
  it('stores the count of a running deployment, shows it, and pokes the workers', async () => {
    const id = await deployment('scaled', 'running', true);
    const res = await patch(`/api/deployments/${id}`, { replicas: 3 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, replicas: 3, current: true });
    expect(await stored(id)).toBe(3);
    await waitFor('the scale poke', async () => scaleMessages(id).length === 1, 5_000, 20);
    expect((await stack.inject({ method: 'GET', url: `/api/deployments/${id}` })).json().replicas).toBe(3);
    // A crashed release still has its service (Swarm is replacing its tasks): it can be scaled too.
    const crashed = await deployment('scaled', 'crashed');
    expect((await patch(`/api/deployments/${crashed}`, { replicas: 2 })).statusCode).toBe(200);
  });

  it.each([0, -1, 2.5, 6, '3', true, null, [3], { n: 3 }])('refuses replicas %j with 400 INVALID_REPLICAS, changing nothing', async (replicas) => {
    const id = await deployment('bad', 'running');
    const res = await patch(`/api/deployments/${id}`, { replicas });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'INVALID_REPLICAS', message: expect.stringContaining('1 to 5') });
    expect(await stored(id)).toBe(1);
    expect(scaleMessages(id)).toEqual([]);
  });

  it('refuses a body without replicas (INVALID_REPLICAS) or with anything else (VALIDATION_FAILED)', async () => {
    const id = await deployment('bad', 'running');
    expect((await patch(`/api/deployments/${id}`, {})).json().error.code).toBe('INVALID_REPLICAS');
    const extra = await patch(`/api/deployments/${id}`, { replicas: 2, status: 'stopped' });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.code).toBe('VALIDATION_FAILED');
    expect(await stored(id)).toBe(1);
  });

  it.each(['queued', 'building', 'starting', 'failed', 'stopped', 'canceled'] as const)('answers 409 DEPLOYMENT_NOT_LIVE for a %s deployment', async (status) => {
    const id = await deployment('idle', status);
    const res = await patch(`/api/deployments/${id}`, { replicas: 2 });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'DEPLOYMENT_NOT_LIVE', message: expect.stringContaining(status) });
    expect(await stored(id)).toBe(1);
  });

  it('answers 404 for an unknown deployment and 400 for an id that cannot be one', async () => {
    expect((await patch('/api/deployments/nosuchdeployment', { replicas: 2 })).statusCode).toBe(404);
    expect((await patch('/api/deployments/NOT..AN..ID', { replicas: 2 })).statusCode).toBe(400);
  });

  it('needs a deploy token: anonymous 401, read-only 403', async () => {
    const id = await deployment('guarded', 'running');
    expect((await stack.inject({ method: 'PATCH', url: `/api/deployments/${id}`, payload: { replicas: 2 }, headers: { authorization: '' } })).statusCode).toBe(401);
    const token = (await stack.inject({ method: 'POST', url: '/api/tokens', payload: { name: 'ro-scale', scope: 'read' } })).json().token;
    const res = await stack.inject({ method: 'PATCH', url: `/api/deployments/${id}`, payload: { replicas: 2 }, headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(403);
    expect(await stored(id)).toBe(1);
  });
});

describe('PATCH /api/projects/:name { replicas }', () => {
  it('scales the current release at once, and releases under way and new ones take it; previews keep theirs', async () => {
    const current = await deployment('shop', 'running', true);
    const preview = await deployment('shop', 'running');
    const building = await deployment('shop', 'building');
    const old = await deployment('shop', 'stopped');
    const res = await patch('/api/projects/shop', { replicas: 4, healthPath: '/up' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ replicas: 4, healthPath: '/up', currentDeployment: { id: current, replicas: 4 } });
    expect([await stored(current), await stored(building), await stored(preview), await stored(old)]).toEqual([4, 4, 1, 1]);
    const next = await deployment('shop', 'queued');
    expect(await stored(next)).toBe(4);
    await waitFor('the poke for the current release', async () => scaleMessages(current).length === 1, 5_000, 20);
    expect([...scaleMessages(preview), ...scaleMessages(building)]).toEqual([]); // only live releases that changed
    expect((await stack.inject({ method: 'GET', url: '/api/projects/shop' })).json().replicas).toBe(4);
  });

  it('refuses a bad count (400) and an unknown project (404) without changing settings', async () => {
    await deployment('tidy', 'running', true);
    const bad = await patch('/api/projects/tidy', { replicas: 0, healthPath: '/changed' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_REPLICAS');
    expect((await stack.inject({ method: 'GET', url: '/api/projects/tidy' })).json()).toMatchObject({ replicas: 1, healthPath: '/' });
    expect((await patch('/api/projects/nosuchproject', { replicas: 2 })).statusCode).toBe(404);
  });
});

describe('docker mode (one container per deployment)', () => {
  let dockerApi: FastifyInstance;
  beforeAll(async () => {
    dockerApi = await buildApp({ ...stack.apiDeps(), config: { ...stack.apiConfig, BERTH_RUNTIME: 'docker' } });
  });
  afterAll(async () => {
    await dockerApi?.close();
  });

  it('refuses more than one replica with 409 REPLICAS_NEED_SWARM, saying how to enable swarm mode', async () => {
    const id = await deployment('single', 'running', true);
    for (const url of [`/api/deployments/${id}`, '/api/projects/single']) {
      const res = await patch(url, { replicas: 2 }, dockerApi);
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'REPLICAS_NEED_SWARM', message: expect.stringContaining('BERTH_RUNTIME=swarm') });
    }
    expect(await stored(id)).toBe(1);
    expect((await stack.inject({ method: 'GET', url: '/api/projects/single' })).json().replicas).toBe(1);
  });

  it('accepts one replica (nothing to scale), and still checks the count first', async () => {
    const id = await deployment('single', 'running');
    expect((await patch(`/api/deployments/${id}`, { replicas: 1 }, dockerApi)).statusCode).toBe(200);
    expect((await patch('/api/projects/single', { replicas: 1 }, dockerApi)).statusCode).toBe(200);
    expect((await patch(`/api/deployments/${id}`, { replicas: 0 }, dockerApi)).json().error.code).toBe('INVALID_REPLICAS');
  });
});
