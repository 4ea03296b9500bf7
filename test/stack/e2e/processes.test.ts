import { describe, expect, it } from 'vitest';
import { zipTestApp } from '@berth/testing/archives';
import { logLines } from '@berth/testing/deployments';
import { multipartBody } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { docker } from '@berth/testing/stack';
import { labels } from '@berth/shared/labels';
import { settledOrSay } from './counter-setup.ts';
import { api, createProject, serving, stack, through, useReleaseStack } from './releases-setup.ts';

// Process types on the real stack (docker mode): test-apps/queue's worker appends
// `<version>:<host>:<event>` lines to a file on the project volume while it runs.
// Old releases drain for long here: the rollback finds v1 still running and switches at once (200).
useReleaseStack({ env: { PROCESS_SETTLE_MS: '1500', DRAIN_MS: '600000' } });

async function deployQueue(version: string): Promise<any> {
  const archive = await zipTestApp('queue', { 'version.txt': version });
  const res = await stack.inject({ method: 'POST', url: '/api/projects/jobs/deployments', ...(await multipartBody({}, { name: 'app.zip', data: archive })) });
  if (res.statusCode !== 202) throw new Error(`deploy answered ${res.statusCode}: ${res.body}`);
  return res.json();
}

const consumed = async () => JSON.parse((await through('jobs', '/state')).body).consumed.split('\n').filter(Boolean) as string[];
const workerContainers = (deploymentId: string) =>
  docker.listContainers({ all: true, filters: { label: [`${labels.instance}=${stack.instance}`, `${labels.deployment}=${deploymentId}`, `${labels.process}=worker`] } });
const runningWorkers = async (deploymentId: string) => (await workerContainers(deploymentId)).filter((c) => c.State === 'running').length;

describe('process types', () => {
  it('runs, replaces (stop-first), scales, restarts and tags a worker process; refuses unknown types', async () => {
    await createProject({ name: 'jobs', healthPath: '/healthz' });
    expect((await api('POST', '/api/projects/jobs/volumes', { name: 'data', mountPath: '/data' })).status).toBe(201);
    // No release yet: no process type is known.
    const early = await api('PATCH', '/api/projects/jobs', { processes: { worker: 2 } });
    expect([early.status, early.body.error?.code]).toEqual([400, 'UNKNOWN_PROCESS_TYPE']);

    const v1 = await deployQueue('v1');
    expect((await settledOrSay(v1.id)).status).toBe('running');
    await serving('jobs', 'v1');
    expect(JSON.parse((await through('jobs', '/state')).body).webFrom).toBe('berth.json'); // processes.web is the command
    await waitFor('v1 jobs', async () => (await consumed()).some((l) => l.startsWith('v1:') && l.endsWith(':job3')), 20_000);
    const project = (await api('GET', '/api/projects/jobs')).body;
    expect(project.processes).toEqual([
      { type: 'web', command: 'WEB_FROM=berth.json node /app/server.js', count: 1, state: 'running' },
      { type: 'worker', command: 'node /app/worker.js', count: 1, state: 'running' },
    ]);
    expect(project.currentDeployment.processes.map((p: any) => p.type)).toEqual(['web', 'worker']);

    for (const [body, code] of [
      [{ worker: 1, mailer: 1 }, 'UNKNOWN_PROCESS_TYPE'],
      [{ web: 2 }, 'UNKNOWN_PROCESS_TYPE'],
      [{ 'Bad Name': 1 }, 'VALIDATION_FAILED'],
      [{ worker: -1 }, 'VALIDATION_FAILED'],
      [{ worker: 11 }, 'VALIDATION_FAILED'],
      [{ worker: 1.5 }, 'VALIDATION_FAILED'],
      [{}, 'VALIDATION_FAILED'],
    ] as const) {
      const res = await api('PATCH', '/api/projects/jobs', { processes: body });
      expect([res.status, res.body.error?.code], JSON.stringify(body)).toEqual([400, code]);
    }

    // A new release: v1's worker stops before v2's starts (after v2's web answers); never both at once.
    const v2 = await deployQueue('v2');
    expect((await settledOrSay(v2.id)).status).toBe('running');
    await serving('jobs', 'v2');
    await waitFor('v2 jobs', async () => (await consumed()).some((l) => l.startsWith('v2:') && l.endsWith(':job3')), 20_000);
    let lines = await consumed();
    const firstV2 = lines.findIndex((l) => l.startsWith('v2:'));
    expect(lines.slice(firstV2).filter((l) => l.startsWith('v1:'))).toEqual([]);
    expect(lines[firstV2 - 1]).toMatch(/^v1:.*:stop$/);
    expect(await runningWorkers(v1.id)).toBe(0);

    // Scaled to 2: two containers, two hosts consuming.
    const scaled = await api('PATCH', '/api/projects/jobs', { processes: { worker: 2 } });
    expect(scaled.status).toBe(200);
    expect(scaled.body.processes.find((p: any) => p.type === 'worker')).toMatchObject({ count: 2, state: 'running' });
    await waitFor('2 workers', async () => (await runningWorkers(v2.id)) === 2, 20_000);
    await waitFor('2 hosts consuming', async () => new Set((await consumed()).filter((l) => l.startsWith('v2:')).map((l) => l.split(':')[1])).size === 2, 20_000);

    // A worker that exits is restarted by Docker (same container, same host).
    expect((await through('jobs', '/exit-worker')).body).toBe('asked');
    await waitFor('a worker to exit and start again', async () => {
      lines = await consumed();
      const exited = lines.findIndex((l) => l.startsWith('v2:') && l.endsWith(':exit'));
      if (exited < 0) return false;
      const host = lines[exited]!.split(':')[1];
      return lines.slice(exited).some((l) => l === `v2:${host}:start`);
    }, 30_000);
    expect((await api('GET', `/api/deployments/${v2.id}`)).body.status).toBe('running');

    // The runtime log carries the workers' output, tagged with the process.
    await waitFor('tagged worker lines', async () => (await logLines(stack, v2.id)).some((l) => /^\[worker\.[12]\] worker v2:\S+ consuming$/.test(l.line)), 20_000);

    // Back to 1; then a release whose worker exits at once fails (PROCESS_EXITED) and v2's worker runs again.
    expect((await api('PATCH', '/api/projects/jobs', { processes: { worker: 1 } })).status).toBe(200);
    await waitFor('1 worker', async () => (await workerContainers(v2.id)).length === 1, 20_000);
    expect((await api('PATCH', '/api/projects/jobs/env', { env: { WORKER_CRASH: '1' } })).status).toBe(200);
    const v3 = await deployQueue('v3');
    expect(await settledOrSay(v3.id)).toMatchObject({ status: 'failed', errorCode: 'PROCESS_EXITED' });
    expect((await logLines(stack, v3.id)).map((l) => l.line)).toContain('worker cannot start: WORKER_CRASH is set');
    expect(await workerContainers(v3.id)).toHaveLength(0);
    await waitFor('v2 worker running again', async () => (await runningWorkers(v2.id)) === 1, 20_000);
    const before = (await consumed()).length;
    await waitFor('v2 consuming again', async () => (await consumed()).slice(before).some((l) => l.startsWith('v2:')), 20_000);
    await serving('jobs', 'v2');

    // A rollback to v1 (still running: switched at once) starts v1's processes again, v2's stopping first.
    expect((await api('PATCH', '/api/projects/jobs/env', { env: { WORKER_CRASH: null } })).status).toBe(200);
    const mark = (await consumed()).length;
    const back = await api('POST', '/api/projects/jobs/rollback', { deploymentId: v1.id });
    expect(back.status).toBe(200);
    await serving('jobs', 'v1');
    // The workers follow the URL (a poke): v1's worker is started again once v2's has stopped.
    await waitFor('v1 consuming again', async () => (await consumed()).slice(mark).some((l) => l.startsWith('v1:') && l.endsWith(':job3')), 30_000);
    lines = (await consumed()).slice(mark);
    const firstV1 = lines.findIndex((l) => l.startsWith('v1:'));
    expect(lines.slice(firstV1).filter((l) => l.startsWith('v2:'))).toEqual([]);
    expect(lines[firstV1 - 1]).toMatch(/^v2:.*:stop$/);
    expect(await runningWorkers(v1.id)).toBe(1);

    // Deleting the project removes its processes with its releases.
    expect((await api('DELETE', '/api/projects/jobs')).status).toBe(200);
    await waitFor('workers removed', async () => (await workerContainers(v1.id)).length + (await workerContainers(v2.id)).length === 0, 30_000);
  }, 480_000);
});
