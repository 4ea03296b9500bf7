import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDeployment, settled } from '@berth/testing/deployments';
import { waitFor } from '@berth/testing/ports';
import { startProgram, type Program } from '@berth/testing/processes';
import { startStack, type Stack } from '@berth/testing/stack';
import { zipDirectoryFlood } from '@berth/testing/zip-flood';

// Issue 24, door 6: a 98.7 MB zip64 archive (under MAX_ARCHIVE_BYTES) whose
// central directory holds 2.1 million records, all pointing at one local
// header. Parsed whole it took 1.86 GB of heap; two at once crashed the worker.
// The worker runs as its own process here, so its memory is its own to measure.
const RSS_LIMIT_MB = 300;

let stack: Stack;
let worker: Program;
beforeAll(async () => {
  stack = await startStack({ workers: 0, router: false });
  worker = startProgram('worker', { ...stack.env, LOG_LEVEL: 'info' });
  await waitFor('worker process ready', () => worker.output().includes('worker ready'), 30_000);
});
afterAll(async () => {
  if (worker && worker.child.exitCode === null) {
    worker.child.kill('SIGTERM');
    await worker.exited;
  }
  await stack?.close();
});

/** The worker's resident memory in MB, from /proc (VmRSS now, VmHWM its peak). */
function memoryMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const line = status.split('\n').find((l) => l.startsWith(`${field}:`));
  return line ? Number(line.split(/\s+/)[1]) / 1024 : 0; // none once the process has exited
}

it('refuses the 2.1-million-record archive, twice at once, from its end record: the worker stays up and small', async () => {
  const flood = zipDirectoryFlood({ records: 2_100_000, zip64: true });
  expect(flood.length).toBeLessThan(stack.apiConfig.MAX_ARCHIVE_BYTES);
  const pid = worker.child.pid!;
  const before = memoryMb(pid, 'VmRSS');

  // Sampled too: a worker on its way to a crash (1.86 GB of heap per parse) is stopped at twice
  // the limit, so the test fails in seconds, not when the machine runs out of memory.
  let peak = before;
  const sampler = setInterval(() => {
    if (worker.child.exitCode !== null) return;
    peak = Math.max(peak, memoryMb(pid, 'VmRSS'));
    if (peak > RSS_LIMIT_MB * 2) worker.child.kill('SIGKILL');
  }, 250);
  try {
    // Two projects: two deployments of one project at once may supersede each other (one build per project).
    const created = await Promise.all(['flood-a', 'flood-b'].map((name) => createDeployment(stack, { archive: flood, fields: { name } })));
    const died = worker.exited.then((exit) => {
      throw new Error(`the worker died (exit ${exit}) at ${peak.toFixed(0)} MB RSS`);
    });
    died.catch(() => {}); // it may exit later, at afterAll's SIGTERM
    const finals = await Promise.race([Promise.all(created.map((d: { id: string }) => settled(stack, d.id, 120_000))), died]);
    for (const final of finals) {
      expect(final).toMatchObject({ status: 'failed', errorCode: 'UNSAFE_ARCHIVE' });
      expect(final.errorMessage).toContain('lists 2100000 entries');
      expect(final.errorMessage).toContain('MAX_EXTRACTED_FILES');
    }
  } finally {
    clearInterval(sampler);
  }
  expect(worker.child.exitCode, worker.output().slice(-2000)).toBe(null);
  const highWater = memoryMb(pid, 'VmHWM');
  console.log(`worker RSS: ${before.toFixed(0)} MB before, ${highWater.toFixed(0)} MB peak (VmHWM), limit ${RSS_LIMIT_MB} MB`);
  expect(highWater).toBeLessThan(RSS_LIMIT_MB);
}, 180_000);
