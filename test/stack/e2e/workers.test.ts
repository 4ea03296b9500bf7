import { afterAll, beforeAll, expect, it } from 'vitest';
import { zipTestApp } from '@berth/testing/archives';
import { createDeployment, logLines, settled } from '@berth/testing/deployments';
import { waitFor } from '@berth/testing/ports';
import { startStack, type Stack } from '@berth/testing/stack';

let stack: Stack;
beforeAll(async () => {
  // Heartbeats often enough that a short burst shows up in GET /api/workers.
  stack = await startStack({ workers: 2, router: false, env: { WORKER_CONCURRENCY: '2', WORKER_HEARTBEAT_MS: '200' } });
});
afterAll(async () => {
  await stack?.close();
});

it('two workers share a burst of deployments and run none of them twice', async () => {
  const ranBy = new Map<string, string[]>();
  stack.workers.forEach((handle, i) =>
    handle.worker.on('active', (job) => ranBy.set(job.id!, [...(ranBy.get(job.id!) ?? []), `worker${i}`])),
  );
  // What GET /api/workers says while the burst runs: which worker showed which deployment.
  const shown = new Map<string, Set<string>>();
  let watching = true;
  const watch = (async () => {
    while (watching) {
      const res = await stack.inject({ method: 'GET', url: '/api/workers' });
      for (const w of res.json().items as { id: string; running: string[] }[]) {
        for (const id of w.running) shown.set(w.id, (shown.get(w.id) ?? new Set()).add(id));
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const archive = await zipTestApp('hello');
  const created = await Promise.all(
    Array.from({ length: 8 }, (_, i) => createDeployment(stack, { archive, fields: { name: `burst-${i}` } })),
  );
  const finals = await Promise.all(created.map((d) => settled(stack, d.id, 90_000)));
  watching = false;
  await watch;
  expect(finals.map((d) => d.status)).toEqual(Array(8).fill('running'));
  // Both workers were seen at work, each with deployments of this burst only.
  expect([...shown.keys()].sort()).toEqual(['worker-1', 'worker-2']);
  for (const ids of shown.values()) for (const id of ids) expect(created.map((d) => d.id)).toContain(id);

  // Each job became active exactly once, and both workers took part.
  expect([...ranBy.keys()].sort()).toEqual(created.map((d) => d.id).sort());
  for (const runs of ranBy.values()) expect(runs).toHaveLength(1);
  const perWorker = new Set([...ranBy.values()].flat());
  expect(perWorker).toEqual(new Set(['worker0', 'worker1']));

  // And the pipeline itself ran once per deployment (a second run would log a second extraction).
  for (const d of created) {
    const lines = (await logLines(stack, d.id)).map((l) => l.line);
    expect(lines.filter((l) => l.startsWith('extracting '))).toHaveLength(1);
  }
});

it('GET /api/workers lists each worker with its name, host, concurrency and last heartbeat, for a read token', async () => {
  const made = await stack.inject({ method: 'POST', url: '/api/tokens', payload: { name: 'viewer', scope: 'read' } });
  const res = await stack.inject({ method: 'GET', url: '/api/workers', headers: { authorization: `Bearer ${made.json().token}` } });
  expect(res.statusCode).toBe(200);
  // The burst is over: the next heartbeat (every WORKER_HEARTBEAT_MS) shows no running deployment.
  const idle = async () => {
    const items = (await stack.inject({ method: 'GET', url: '/api/workers' })).json().items as { running: string[] }[];
    return items.every((w) => w.running.length === 0) && items;
  };
  await waitFor('the workers to report no running deployment', idle, 30_000, 200);
  const items = (await stack.inject({ method: 'GET', url: '/api/workers' })).json().items as { id: string; host: string; concurrency: number; running: string[]; lastHeartbeat: string }[];
  expect(items.map((w) => w.id)).toEqual(['worker-1', 'worker-2']);
  for (const w of items) {
    expect(w).toMatchObject({ concurrency: 2, running: [] });
    expect(w.host).toBeTruthy();
    expect(Date.now() - Date.parse(w.lastHeartbeat)).toBeLessThan(60_000);
  }
  // A worker that stops leaves the list at once.
  await stack.workers[1]!.close();
  stack.workers.pop();
  const after = await stack.inject({ method: 'GET', url: '/api/workers' });
  expect(after.json().items.map((w: { id: string }) => w.id)).toEqual(['worker-1']);
  expect((await stack.api.inject({ method: 'GET', url: '/api/workers' })).statusCode).toBe(401);
});
