import type { LogLine } from '@berth/client/types';
import { plainText } from './ansi.ts';

export interface SearchScheduler {
  /** Runs `step` later, as a task of its own (the browser paints and handles input in between). */
  later(step: () => void): unknown;
  cancel(handle: unknown): void;
  now(): number;
}

const browserScheduler: SearchScheduler = {
  later: (step) => setTimeout(step, 0),
  cancel: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => performance.now(),
};

/** A line as lowercase plain text, made once per line (typing a query searches the same lines again and again). */
const searchable = new WeakMap<LogLine, string>();
function textOf(line: LogLine): string {
  let text = searchable.get(line);
  if (text === undefined) searchable.set(line, (text = plainText(line.line).toLowerCase()));
  return text;
}

/**
 * A search of a log that only ever grows, done in slices of at most `sliceMs`
 * each (its own task), so 100,000 lines never hold the page for long, even on
 * a busy machine; lines that arrive later are searched once, when they come.
 * `update` is called on each render; `onProgress` when a pass has reached the
 * end of the lines (render again then).
 */
export class LogSearch {
  private query = '';
  private lines: readonly LogLine[] = [];
  private matched: LogLine[] = [];
  private scanned = 0;
  private pending: unknown;

  constructor(
    private readonly onProgress: () => void,
    private readonly scheduler: SearchScheduler = browserScheduler,
    private readonly sliceMs = 8,
  ) {}

  /** The query and the lines as they are now; starts or continues the search. */
  update(lines: readonly LogLine[], query: string): void {
    const q = query.toLowerCase();
    if (q !== this.query || lines !== this.lines || lines.length < this.scanned) {
      this.stop();
      this.query = q;
      this.lines = lines;
      this.matched = [];
      this.scanned = 0;
    }
    if (q && this.scanned < lines.length && this.pending === undefined) this.pending = this.scheduler.later(this.step);
  }

  /** Matches so far, how many lines were searched, and whether that is all of them. */
  get result(): { matches: readonly LogLine[]; searched: number; done: boolean } {
    return { matches: this.matched, searched: this.scanned, done: this.scanned >= this.lines.length };
  }

  stop(): void {
    if (this.pending !== undefined) this.scheduler.cancel(this.pending);
    this.pending = undefined;
  }

  private readonly step = (): void => {
    this.pending = undefined;
    const deadline = this.scheduler.now() + this.sliceMs;
    const { lines, query } = this;
    while (this.scanned < lines.length) {
      // The clock is read every few hundred lines, not every line.
      const end = Math.min(lines.length, this.scanned + 256);
      for (let i = this.scanned; i < end; i++) if (textOf(lines[i]!).includes(query)) this.matched.push(lines[i]!);
      this.scanned = end;
      if (this.scheduler.now() >= deadline) break;
    }
    if (this.scanned < lines.length) this.pending = this.scheduler.later(this.step);
    else this.onProgress();
  };
}
