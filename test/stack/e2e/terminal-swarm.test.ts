import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { containerName } from '@berth/shared/docker-names';
import { waitFor } from '@berth/testing/ports';
import { deploymentIn } from '@berth/testing/replicas';
import { authHeaders, docker, startStack, type Stack } from '@berth/testing/stack';
import { buildApp } from '../../../apps/api/src/app.ts';
import { expectRefused, expectSession, openTerminal } from './terminal-setup.ts';

// Swarm mode's terminals: an API in swarm mode opens them in the tasks of a deployment's service on
// its own node (this one-node swarm), by slot. The service is made here, two replicas of the local
// berth/node:24 (a one-node swarm runs a local image without a registry), for a running deployment row.
let stack: Stack;
let api: FastifyInstance;
let apiStack: Stack;
let id: string;
let service: string;

interface Task {
  Slot?: number;
  Status?: { State?: string };
}

beforeAll(async () => {
  stack = await startStack({ router: false, workers: 0 });
  api = await buildApp({ ...stack.apiDeps(), config: { ...stack.apiConfig, BERTH_RUNTIME: 'swarm' } });
  apiStack = { ...stack, apiUrl: await api.listen({ host: '127.0.0.1', port: 0 }) } as Stack;
  id = await deploymentIn(stack, 'swarmterm', 'running');
  service = containerName(stack.instance, id);
  await docker.createService({
    Name: service,
    Labels: { 'dev.berth.instance': stack.instance },
    TaskTemplate: {
      ContainerSpec: { Image: 'berth/node:24', Command: ['sh', '-c', 'echo "slot $SLOT" > /tmp/slot; exec sleep 3600'], Env: ['SLOT={{.Task.Slot}}'], Labels: { 'dev.berth.instance': stack.instance } },
      RestartPolicy: { Condition: 'none' },
    },
    Mode: { Replicated: { Replicas: 2 } },
  });
  await waitFor('two running tasks', async () => {
    const tasks = (await docker.listTasks({ filters: { service: [service], 'desired-state': ['running'] } })) as Task[];
    return tasks.filter((t) => t.Status?.State === 'running').length === 2 || undefined;
  }, 90_000, 250);
}, 180_000);

afterAll(async () => {
  await docker.getService(service).remove().catch(() => {});
  await waitFor('the tasks gone', async () => (await docker.listContainers({ all: true, filters: { label: [`com.docker.swarm.service.name=${service}`] } })).length === 0 || undefined, 60_000, 250).catch(() => {});
  await api?.close();
  await stack?.close();
}, 120_000);

const slotSaid = async (replica?: number) => {
  const session = await expectSession(openTerminal(apiStack, id, { command: ['cat', '/tmp/slot'], headers: authHeaders, ...(replica ? { replica } : {}) }));
  const { final } = await session.ended;
  expect(final).toEqual({ type: 'exit', code: 0 });
  return session.output().trim();
};

describe('terminals in swarm mode', () => {
  it("open in a task of the deployment's service on this node: the replica asked for (its slot), else the lowest; the audit row names it", async () => {
    expect(await slotSaid(2)).toBe('slot 2');
    expect(await slotSaid(1)).toBe('slot 1');
    expect(await slotSaid()).toBe('slot 1');
    const rows = await stack.db.db.selectFrom('audit_log').select(['detail', 'result']).where('action', '=', 'deployment.exec').where('target_id', '=', id).where('result', '=', 'ok').execute();
    expect(rows.map((r) => (r.detail as { replica: number }).replica).sort()).toEqual([1, 1, 2]);
  });

  it('a replica that does not run: 404; a deployment whose service is gone: 409 DEPLOYMENT_NOT_LIVE', async () => {
    await expectRefused(openTerminal(apiStack, id, { replica: 3, headers: authHeaders }), 404, 'NOT_FOUND');
    const gone = await deploymentIn(stack, 'swarmterm', 'running');
    await expectRefused(openTerminal(apiStack, gone, { headers: authHeaders }), 409, 'DEPLOYMENT_NOT_LIVE');
  });
});
