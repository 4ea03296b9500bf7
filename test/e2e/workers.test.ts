import { afterAll, beforeAll, expect, it } from 'vitest';
import { zipTestApp } from '../helpers/archives.ts';
import { createDeployment, logLines, settled } from '../helpers/deployments.ts';
import { startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ workers: 2, router: false, env: { WORKER_CONCURRENCY: '2' } });
});
afterAll(async () => {
  await stack?.close();
});

it('two workers share a burst of deployments and run none of them twice', async () => {
  const ranBy = new Map<string, string[]>();
  stack.workers.forEach((handle, i) =>
    handle.worker.on('active', (job) => ranBy.set(job.id!, [...(ranBy.get(job.id!) ?? []), `worker${i}`])),
  );
  const archive = await zipTestApp('hello');
  const created = await Promise.all(
    Array.from({ length: 8 }, (_, i) => createDeployment(stack, { archive, fields: { name: `burst-${i}` } })),
  );
  const finals = await Promise.all(created.map((d) => settled(stack, d.id, 90_000)));
  expect(finals.map((d) => d.status)).toEqual(Array(8).fill('running'));

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
