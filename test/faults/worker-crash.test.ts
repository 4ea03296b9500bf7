import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { zipTestApp } from '@berth/testing/archives';
import { createDeployment, logLines, settled } from '@berth/testing/deployments';
import { runtimeWait } from '@berth/testing/runtime-wait';
import { waitFor } from '@berth/testing/ports';
import { killStartedPrograms, startProgram } from '@berth/testing/processes';
import { instanceContainers, startStack, type Stack } from '@berth/testing/stack';

// Lock 5 s, stalled check every 2 s (the stack's test settings): recovery in seconds.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ workers: 0, router: false });
});
afterAll(async () => {
  killStartedPrograms(); // a program a failed test left running
  await stack?.close();
});

it('a worker killed with SIGKILL mid-build: another worker takes the job over and finishes it, cleaning up first', async () => {
  const doomed = startProgram('worker', { ...stack.env, LOG_LEVEL: 'info' });
  await waitFor('worker process ready', () => doomed.output().includes('worker ready'), 20_000);
  const d = await createDeployment(stack, { archive: await zipTestApp('slow', { 'nonce.txt': String(Math.random()) }) });
  await waitFor('build under way', async () => (await logLines(stack, d.id)).some((l) => l.line === 'slow build starting'), 30_000);
  const workDir = path.join(os.tmpdir(), `berth-${stack.instance}-${d.id}`);
  doomed.child.kill('SIGKILL');
  expect(await doomed.exited).toBe(null);
  expect((await stack.db.store.get(d.id))!.status).toBe('building'); // nobody owns it now

  await stack.addWorker(); // a surviving worker
  const final = await settled(stack, d.id, runtimeWait(60_000));
  expect(final.status).toBe('running');
  const lines = await logLines(stack, d.id);
  expect(lines.map((l) => l.line)).toContain('resuming an interrupted attempt: removing its leftovers');
  const seqs = lines.map((l) => l.seq);
  expect(new Set(seqs).size).toBe(seqs.length); // the retry kept numbering, no reuse
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(existsSync(workDir)).toBe(false);
  const transitions = (await stack.db.history.list(d.id)).map((t) => t.status);
  expect(transitions).toEqual(['queued', 'fetching', 'building', 'fetching', 'building', 'starting', 'running']);
  // One app container (swarm mode also has each worker's health prober, which carries no deployment).
  expect((await instanceContainers(stack.instance)).filter((c) => c.Labels['dev.berth.deployment']).length).toBe(1);
});
