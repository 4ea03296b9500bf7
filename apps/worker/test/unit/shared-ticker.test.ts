import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { everySharedTick, sharedTickPeriods } from '../../src/shared-ticker.ts';

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

it('runs every callback of a period on one timer, and stops the timer when the last one leaves', () => {
  const calls: string[] = [];
  const timersBefore = vi.getTimerCount();
  const stopA = everySharedTick(1000, () => calls.push('a'));
  const stopB = everySharedTick(1000, () => calls.push('b'));
  const stopC = everySharedTick(500, () => calls.push('c'));
  expect(vi.getTimerCount() - timersBefore).toBe(2); // one per period, not one per callback
  vi.advanceTimersByTime(1000);
  expect(calls.sort()).toEqual(['a', 'b', 'c', 'c']);

  stopA();
  calls.length = 0;
  vi.advanceTimersByTime(1000);
  expect(calls.sort()).toEqual(['b', 'c', 'c']);
  stopB();
  stopB(); // twice is harmless
  expect(sharedTickPeriods()).toEqual([500]);
  stopC();
  expect(sharedTickPeriods()).toEqual([]);
  expect(vi.getTimerCount()).toBe(timersBefore);

  const stopAgain = everySharedTick(1000, () => calls.push('again')); // a period starts over after it stopped
  calls.length = 0;
  vi.advanceTimersByTime(1000);
  expect(calls).toEqual(['again']);
  stopAgain();
});

it('lets a callback leave during a tick without skipping the others', () => {
  const calls: string[] = [];
  let stopFirst = () => {};
  stopFirst = everySharedTick(200, () => (calls.push('first'), stopFirst()));
  const stopSecond = everySharedTick(200, () => calls.push('second'));
  vi.advanceTimersByTime(400);
  expect(calls).toEqual(['first', 'second', 'second']);
  stopSecond();
});
