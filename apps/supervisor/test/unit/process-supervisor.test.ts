import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createLogger } from '@berth/shared/logger';
import { ProcessSupervisor, type ProcessSpec } from '@berth/supervisor/process-supervisor';
import { waitFor } from '@berth/testing/ports';
import { repoRoot } from '@berth/testing/paths';

const root = repoRoot;
let supervisor: ProcessSupervisor | undefined;
afterEach(async () => {
  await supervisor?.stopAll();
  supervisor = undefined;
});

function setup(options: { maxCrashes?: number; stopGraceMs?: number } = {}) {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-supervisor-'));
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('supervisor', 'info', { write: (l: string) => void lines.push(JSON.parse(l)) });
  supervisor = new ProcessSupervisor({
    logDir,
    log: { maxBytes: 1024 * 1024, files: 2 },
    restart: { initialDelayMs: 100, maxDelayMs: 2000, stableAfterMs: 10_000, maxCrashes: options.maxCrashes ?? 5 },
    stopGraceMs: options.stopGraceMs ?? 5000,
    logger,
    onChange: () => {},
  });
  const logOf = (name: string) => fs.readFileSync(path.join(logDir, `${name}.log`), 'utf8');
  const status = (name: string) => supervisor!.list().find((p) => p.name === name)!;
  return { supervisor, lines, logOf, status };
}

const nodeScript = (name: string, script: string): ProcessSpec => ({
  name,
  group: name,
  command: process.execPath,
  args: ['-e', script],
  env: { PATH: process.env.PATH },
});

it('restarts a process killed with SIGKILL after a back-off, and logs how it ended', async () => {
  const { supervisor, lines, logOf, status } = setup();
  supervisor.start(nodeScript('sleeper', "console.log('up', process.pid); setInterval(() => {}, 1000)"));
  const first = await waitFor('it to run', () => status('sleeper').pid ?? undefined, 10_000);
  await waitFor('its first line', () => logOf('sleeper').includes(`up ${first}`), 10_000);
  process.kill(first, 'SIGKILL');
  const second = await waitFor('it to run again', () => (status('sleeper').pid !== first && status('sleeper').pid) || undefined, 20_000);
  await waitFor('its line again', () => logOf('sleeper').includes(`up ${second}`), 10_000);
  expect(status('sleeper')).toMatchObject({ state: 'running', restarts: 1, lastExit: { code: null, signal: 'SIGKILL' } });
  const exit = lines.find((l) => l.msg === 'sleeper exited unexpectedly; restarting');
  expect(exit).toMatchObject({ level: 40, app: 'supervisor', process: 'sleeper', signal: 'SIGKILL', code: null, restartInMs: 100 });
});

it('reports a program that crashes at start-up after a few tries and stops restarting it', async () => {
  const { supervisor, lines, logOf, status } = setup({ maxCrashes: 3 });
  // The real worker with a bad setting: it exits 1 at once, naming the variable.
  supervisor.start({
    name: 'worker-1',
    group: 'worker',
    command: process.execPath,
    args: ['--conditions=@berth/source', '--import', 'tsx', path.join(root, 'apps/worker/src/main.ts')],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, WORKER_CONCURRENCY: 'lots' },
  });
  await waitFor('it to be given up on', () => status('worker-1').state === 'failed', 60_000, 100);
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
});

it('stops a process with SIGTERM, and with SIGKILL when it outlives the grace period; neither is restarted', async () => {
  const { supervisor, lines, logOf, status } = setup({ stopGraceMs: 1000 });
  supervisor.start(nodeScript('polite', "process.on('SIGTERM', () => process.exit(0)); console.log('ready'); setInterval(() => {}, 1000)"));
  supervisor.start(nodeScript('stubborn', "process.on('SIGTERM', () => console.log('no')); console.log('ready'); setInterval(() => {}, 1000)"));
  for (const name of ['polite', 'stubborn']) await waitFor(`${name} ready`, () => logOf(name).includes('ready'), 10_000);
  await supervisor.remove('polite');
  expect(lines.find((l) => l.process === 'polite' && l.msg !== 'process started')).toBeUndefined();
  const stubborn = status('stubborn').pid!;
  await supervisor.remove('stubborn');
  expect(lines.find((l) => l.msg === 'grace period over; killing it')).toMatchObject({ process: 'stubborn', childPid: stubborn });
  expect(logOf('stubborn')).toContain('no');
  expect(supervisor.list()).toEqual([]);
  expect(() => process.kill(stubborn, 0)).toThrow();
});
