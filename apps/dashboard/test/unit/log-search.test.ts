import { describe, expect, it } from 'vitest';
import type { LogLine } from '@berth/client/types';
import { LogSearch, type SearchScheduler } from '../../src/log-search.ts';

/** A scheduler run by hand; its clock moves 1 ms per 100 lines searched (through `tick`). */
function manualScheduler() {
  let time = 0;
  const queue: Array<() => void> = [];
  const scheduler: SearchScheduler = {
    later: (step) => (queue.push(step), step),
    cancel: (handle) => {
      const i = queue.indexOf(handle as () => void);
      if (i >= 0) queue.splice(i, 1);
    },
    now: () => time,
  };
  return {
    scheduler,
    advance: (ms: number) => (time += ms),
    tasks: () => queue.length,
    /** Runs the next task; returns false when there is none. */
    runOne: () => {
      const next = queue.shift();
      next?.();
      return next !== undefined;
    },
  };
}

const line = (seq: number, text: string): LogLine => ({ seq, stream: 'build', line: text, ts: '2026-12-04T00:00:00.000Z' });
const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => line(from + i, `line ${from + i}`));

describe('searching a log', () => {
  it('finds lines by their plain text, case-insensitively, colours and \\r redraws aside', () => {
    const clock = manualScheduler();
    let progress = 0;
    const search = new LogSearch(() => progress++, clock.scheduler);
    const lines = [line(1, '\x1b[1;32mBuild OK\x1b[0m'), line(2, 'build 50%\rbuild done'), line(3, 'other'), line(4, 'build \x1b[33mok\x1b[0m')];
    search.update(lines, 'build ok');
    while (clock.runOne());
    expect(search.result.matches.map((l) => l.seq)).toEqual([1, 4]);
    expect(search.result).toMatchObject({ searched: 4, done: true });
    expect(progress).toBe(1);
    search.update(lines, '50%'); // the redrawn-over text is not what the line shows
    while (clock.runOne());
    expect(search.result.matches).toEqual([]);
  });

  it('searches in slices that stop at their time budget, each its own task', () => {
    const clock = manualScheduler();
    const lines = numbered(1, 100_000);
    const search = new LogSearch(() => {}, clock.scheduler, 8);
    // Every clock read moves time on by 3 ms: a slice reads the clock every 256 lines, so it stops after 3 reads.
    const now = clock.scheduler.now;
    clock.scheduler.now = () => (clock.advance(3), now());
    search.update(lines, 'line 9999');
    expect(search.result.searched).toBe(0); // nothing in the render itself
    clock.runOne();
    expect(search.result).toMatchObject({ searched: 768, done: false });
    expect(clock.tasks()).toBe(1);
    let slices = 1;
    while (clock.runOne()) slices++;
    expect(slices).toBe(Math.ceil(100_000 / 768));
    expect(search.result.matches.map((l) => l.line)).toEqual(['line 9999', ...Array.from({ length: 10 }, (_, i) => `line ${99990 + i}`)]);
    expect(search.result.done).toBe(true);
  });

  it('searches only the lines that arrived since, and starts over when the query changes', () => {
    const clock = manualScheduler();
    let progress = 0;
    const search = new LogSearch(() => progress++, clock.scheduler);
    const lines = numbered(1, 1000);
    search.update(lines, 'line 10');
    while (clock.runOne());
    expect(search.result.matches.length).toBe(12); // 10, 100-109, 1000
    lines.push(...numbered(1001, 1100)); // the log grows in place
    search.update(lines, 'line 10');
    expect(search.result).toMatchObject({ searched: 1000, done: false });
    while (clock.runOne());
    expect(search.result.matches.length).toBe(12 + 99); // 1001-1099
    expect(progress).toBe(2);
    search.update(lines, 'line 10'); // a render with nothing new schedules nothing
    expect(clock.tasks()).toBe(0);

    search.update(lines, 'LINE 1100');
    expect(search.result).toMatchObject({ searched: 0, done: false, matches: [] });
    while (clock.runOne());
    expect(search.result.matches.map((l) => l.seq)).toEqual([1100]);
  });

  it('drops a search in progress when the query changes or it is stopped', () => {
    const clock = manualScheduler();
    const search = new LogSearch(() => {}, clock.scheduler, 0);
    const lines = numbered(1, 10_000);
    search.update(lines, 'line 1');
    clock.runOne(); // one slice of the old query
    search.update(lines, 'line 2');
    expect(clock.tasks()).toBe(1); // the old pass is gone, one new one waits
    search.stop();
    expect(clock.tasks()).toBe(0);
    expect(search.result.searched).toBe(0);
  });

  it('with no query shows nothing searched and schedules nothing', () => {
    const clock = manualScheduler();
    const search = new LogSearch(() => {}, clock.scheduler);
    search.update(numbered(1, 10), '');
    expect(clock.tasks()).toBe(0);
  });
});
