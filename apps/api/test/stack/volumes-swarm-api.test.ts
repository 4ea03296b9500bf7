import { afterAll, beforeAll, expect, it } from 'vitest';
import { callApi } from '@berth/testing/deployments';
import { startStack, type Stack } from '@berth/testing/stack';

// Swarm mode has volumes (placed on their node: docs/volumes.md), but no services, no stop-first and no processes
// besides web yet (issues 28, 29): the API says so up front, changing nothing.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ workers: 0, router: false, env: { BERTH_RUNTIME: 'swarm' } });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

it('refuses services and stop-first with 409 NEEDS_DOCKER_RUNTIME; volumes, start-first and release commands are fine', async () => {
  const api = (method: string, url: string, payload?: unknown) => callApi(stack, method, url, payload);
  expect((await api('POST', '/api/projects', { name: 'fleet' })).status).toBe(201);
  expect((await api('POST', '/api/projects/fleet/volumes', { name: 'data', mountPath: '/etc' })).status).toBe(400);
  const volume = await api('POST', '/api/projects/fleet/volumes', { name: 'data', mountPath: '/data' });
  expect(volume.status).toBe(201);
  expect((await api('GET', '/api/projects/fleet/volumes')).body.items.map((v: { name: string }) => v.name)).toEqual(['data']);
  // Services (issue 29) likewise: a service would have to be pinned to the node holding its volume.
  const service = await api('POST', '/api/projects/fleet/services', { type: 'postgres' });
  expect([service.status, service.body.error.code]).toEqual([409, 'NEEDS_DOCKER_RUNTIME']);
  expect((await api('POST', '/api/projects/fleet/services', { type: 'mysql' })).status).toBe(400);
  expect((await api('GET', '/api/projects/fleet/services')).body.items).toEqual([]);
  const stopFirst = await api('PATCH', '/api/projects/fleet', { deployStrategy: 'stop-first', releaseCommand: 'npm run migrate' });
  expect([stopFirst.status, stopFirst.body.error.code]).toEqual([409, 'NEEDS_DOCKER_RUNTIME']);
  expect((await api('GET', '/api/projects/fleet')).body).toMatchObject({ deployStrategy: 'start-first', releaseCommand: null });
  // Processes besides web run in docker mode only (the worker fails such a release in swarm mode too).
  const processes = await api('PATCH', '/api/projects/fleet', { processes: { worker: 2 }, releaseCommand: 'npm run migrate' });
  expect([processes.status, processes.body.error.code]).toEqual([409, 'NEEDS_DOCKER_RUNTIME']);
  expect((await api('GET', '/api/projects/fleet')).body).toMatchObject({ releaseCommand: null, processes: [] });
  const fine = await api('PATCH', '/api/projects/fleet', { deployStrategy: 'start-first', releaseCommand: 'npm run migrate' });
  expect(fine.body).toMatchObject({ deployStrategy: 'start-first', releaseCommand: 'npm run migrate' });
});
