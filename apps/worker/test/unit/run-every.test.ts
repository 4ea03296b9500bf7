import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createLogger } from '@berth/shared/logger';
import type { Opened } from '@berth/shared/program-lifecycle';
import { runEvery } from '../../src/run-every.ts';

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

/** runEvery with a work function whose runs the test ends by hand, and its close. */
function started() {
  const runs: Array<() => void> = [];
  let active = 0;
  let most = 0;
  let close: () => Promise<void> = async () => {};
  const opened: Opened = (_what, cleanup) => void (close = async () => void (await cleanup()));
  const work = () =>
    new Promise<void>((resolve) => {
      active++;
      most = Math.max(most, active);
      runs.push(() => (active--, resolve()));
    });
  runEvery('chore', 1000, work, { opened, logger: createLogger('test', 'silent') });
  return { runs, most: () => most, close: () => close() };
}

it('never runs two passes at once: ticks during a long pass are skipped, the next tick after it runs', async () => {
  const t = started();
  expect(t.runs).toHaveLength(1); // now
  await vi.advanceTimersByTimeAsync(3500); // three ticks while the first pass runs
  expect(t.runs).toHaveLength(1);
  t.runs[0]!();
  await vi.advanceTimersByTimeAsync(1000);
  expect(t.runs).toHaveLength(2);
  expect(t.most()).toBe(1);
  t.runs[1]!();
  await t.close();
});

it('closing starts no pass and waits for the one under way', async () => {
  const t = started();
  let closed = false;
  const closing = t.close().then(() => (closed = true));
  await vi.advanceTimersByTimeAsync(5000);
  expect(closed).toBe(false); // the first pass still runs
  t.runs[0]!();
  await closing;
  await vi.advanceTimersByTimeAsync(5000);
  expect(t.runs).toHaveLength(1);
});

it('a failed pass is logged and the next tick runs again', async () => {
  let calls = 0;
  let close: () => Promise<void> = async () => {};
  const opened: Opened = (_what, cleanup) => void (close = async () => void (await cleanup()));
  runEvery('chore', 1000, async () => {
    calls++;
    throw new Error('boom');
  }, { opened, logger: createLogger('test', 'silent') });
  await vi.advanceTimersByTimeAsync(2000);
  expect(calls).toBe(3);
  await close();
});
