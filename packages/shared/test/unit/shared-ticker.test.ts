import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { everySharedTick, nextGridMoment, sharedTickPeriods } from '../../src/shared-ticker.ts';

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

it('puts a period on a grid with the phase: the next moment is strictly after now', () => {
  expect(nextGridMoment(5000, 12_000, 0)).toBe(15_000);
  expect(nextGridMoment(5000, 15_000, 0)).toBe(20_000);
  expect(nextGridMoment(5000, 15_000, 1234)).toBe(16_234);
  expect(nextGridMoment(10_000, 15_000, 1234)).toBe(21_234); // a 10 s moment is also a 5 s one
  expect(nextGridMoment(5000, 21_234, 1234)).toBe(26_234);
});

it('runs chores of periods that divide each other in the same wake-ups, on one timer', () => {
  const calls: string[] = [];
  const timersBefore = vi.getTimerCount();
  const wakeUps: number[] = [];
  const stops = [
    everySharedTick(5000, () => calls.push('5a')),
    everySharedTick(5000, () => calls.push('5b')),
    everySharedTick(10_000, () => calls.push('10')),
    everySharedTick(10_000, () => wakeUps.push(performance.now())),
  ];
  expect(vi.getTimerCount() - timersBefore).toBe(1); // one timer, whatever the chores and periods
  vi.advanceTimersByTime(30_000);
  expect(calls.filter((c) => c === '5a')).toHaveLength(6);
  expect(calls.filter((c) => c === '5b')).toHaveLength(6);
  expect(calls.filter((c) => c === '10')).toHaveLength(3);
  // Each 10 s chore ran at a moment a 5 s chore ran too: the same wake-up.
  for (const at of wakeUps) expect(Math.round(at) % 5000).toBe(Math.round(wakeUps[0]!) % 5000);
  for (const stop of stops) stop();
  expect(sharedTickPeriods()).toEqual([]);
  expect(vi.getTimerCount()).toBe(timersBefore);
});

it('stops a chore that leaves, keeps the others, and starts over after the last one left', () => {
  const calls: string[] = [];
  const stopA = everySharedTick(1000, () => calls.push('a'));
  const stopB = everySharedTick(500, () => calls.push('b'));
  vi.advanceTimersByTime(1000);
  expect(calls.filter((c) => c === 'a')).toHaveLength(1);
  expect(calls.filter((c) => c === 'b')).toHaveLength(2);
  stopA();
  stopA(); // twice is harmless
  calls.length = 0;
  vi.advanceTimersByTime(1000);
  expect(calls).toEqual(['b', 'b']);
  expect(sharedTickPeriods()).toEqual([500]);
  stopB();
  expect(sharedTickPeriods()).toEqual([]);
  const stopAgain = everySharedTick(1000, () => calls.push('again'));
  calls.length = 0;
  vi.advanceTimersByTime(1000);
  expect(calls).toEqual(['again']);
  stopAgain();
});

it('lets a chore leave or another join during a wake-up without skipping the others', () => {
  const calls: string[] = [];
  let stopFirst = () => {};
  let stopJoined = () => {};
  stopFirst = everySharedTick(200, () => {
    calls.push('first');
    stopFirst();
    stopJoined = everySharedTick(200, () => calls.push('joined'));
  });
  const stopSecond = everySharedTick(200, () => calls.push('second'));
  vi.advanceTimersByTime(400);
  expect(calls).toEqual(['first', 'second', 'second', 'joined']);
  stopSecond();
  stopJoined();
});

it('a chore that throws does not stop the others or the timer, and its error is not swallowed', () => {
  const calls: string[] = [];
  const stopBad = everySharedTick(1000, () => {
    throw new Error('boom');
  });
  const stopGood = everySharedTick(1000, () => calls.push('good'));
  expect(() => vi.advanceTimersByTime(1000)).toThrow('boom');
  expect(calls).toEqual(['good']);
  stopBad();
  vi.advanceTimersByTime(1000);
  expect(calls).toEqual(['good', 'good']);
  stopGood();
});

it('keeps its moments when the wall clock is set back (it runs on the monotonic clock)', () => {
  const calls: number[] = [];
  const stop = everySharedTick(1000, () => calls.push(performance.now()));
  vi.setSystemTime(Date.now() - 3600_000); // an hour back, as an NTP step or a resumed VM may do
  vi.advanceTimersByTime(3000);
  expect(calls).toHaveLength(3);
  stop();
});

it('keeps the process alive only while a chore asks it to (a real timer)', () => {
  vi.useRealTimers();
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const before = timers();
  const stopQuiet = everySharedTick(60_000, () => {}, { keepsAlive: false });
  expect(timers()).toBe(before); // unref'd: it alone would let the process end
  const stopLoud = everySharedTick(60_000, () => {});
  expect(timers()).toBe(before + 1);
  stopLoud();
  expect(timers()).toBe(before);
  stopQuiet();
  expect(sharedTickPeriods()).toEqual([]);
  expect(() => everySharedTick(0, () => {})).toThrow(/positive/);
});
