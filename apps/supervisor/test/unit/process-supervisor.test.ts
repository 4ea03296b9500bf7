import { expect, it } from 'vitest';
import { waitFor } from '@berth/testing/ports';
import { nodeScript, setup } from '../supervised.ts';

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
