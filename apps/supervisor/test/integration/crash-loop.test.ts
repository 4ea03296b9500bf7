import path from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from '@berth/testing/paths';
import { waitFor } from '@berth/testing/ports';
import { setup } from '../supervised.ts';

// The real worker program, started four times through tsx: a program test, not a unit test (seconds
// per start-up); it needs no services, since a bad setting stops the worker before it connects.
it('reports a program that crashes at start-up after a few tries and stops restarting it', async () => {
  // Each start goes through tsx, which takes over 10 s on a busy machine: a run that long would count
  // as healthy under the default and start the back-off over (cold CI saw 4 restarts, not 3).
  const { supervisor, lines, logOf, status } = setup({ maxCrashes: 3, stableAfterMs: 120_000 });
  // The real worker with a bad setting: it exits 1 at once, naming the variable.
  supervisor.start({
    name: 'worker-1',
    group: 'worker',
    command: process.execPath,
    args: ['--conditions=@berth/source', '--import', 'tsx', path.join(repoRoot, 'apps/worker/src/main.ts')],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, WORKER_CONCURRENCY: 'lots' },
  });
  await waitFor('it to be given up on', () => status('worker-1').state === 'failed', 150_000, 100);
  expect(status('worker-1')).toMatchObject({ pid: null, restarts: 3, lastExit: { code: 1, signal: null } });
  expect(lines.filter((l) => l.msg === 'process started')).toHaveLength(4);
  expect(lines.filter((l) => typeof l.restartInMs === 'number').map((l) => l.restartInMs)).toEqual([100, 200, 400]);
  expect(lines.at(-1)).toMatchObject({ level: 50, process: 'worker-1', code: 1, crashes: 4 });
  expect(String(lines.at(-1)!.msg)).toContain('keeps crashing; not restarting it');
  expect(logOf('worker-1')).toContain('WORKER_CONCURRENCY');
  // And it stays down: no tight loop.
  await new Promise((r) => setTimeout(r, 1500));
  expect(lines.filter((l) => l.msg === 'process started')).toHaveLength(4);

  // A restart on request starts it again with a fresh back-off.
  await supervisor.restart('worker-1');
  expect(lines.filter((l) => l.msg === 'restarting on request')).toHaveLength(1);
}, 180_000);
