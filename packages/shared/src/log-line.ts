import { NewlineSplitter } from './newline-splitter.ts';

/** The one log line format (ARCHITECTURE.md, "Logs"). */
export const logStreams = ['build', 'runtime', 'system'] as const;
export type LogStream = (typeof logStreams)[number];

export interface LogLine {
  /** Strictly increasing per deployment, across workers and retries. */
  seq: number;
  /** ISO-8601 timestamp of when the worker saw the line. */
  ts: string;
  stream: LogStream;
  line: string;
}

/** Part of a line: `continues` when the line goes on in the next part from the same source (it was cut before its end). */
export interface LinePiece {
  line: string;
  continues: boolean;
}

/** A line longer than this is stored as several lines (never dropped). */
export const maxLineLength = 16 * 1024;

/**
 * How long a line may grow while its newline has not come yet. The worker
 * reads output with this bound and cuts lines to `maxLineLength` only after
 * masking secrets (log-sink.ts): a secret must be whole when it is looked for.
 */
export const maxRawLineLength = 1024 * 1024;

/**
 * Turns arbitrary chunks of output into whole lines. Chunks need not be
 * line-aligned. A line rewritten with carriage returns (progress bars) keeps
 * its final state; lines longer than `maxLength` are cut; NULs and other C0
 * controls except tab and ESC (colours) are dropped so a binary blob cannot
 * break a consumer.
 */
export class LineSplitter {
  private readonly lines: NewlineSplitter;

  constructor(private readonly maxLength: number = maxLineLength) {
    // A huge line with no newline yet: emit full-size pieces once 4 are waiting, so memory stays bounded.
    this.lines = new NewlineSplitter({ maxPending: maxLength * 4, overflow: { cut: maxLength } });
  }

  /** Whether part of a line is waiting for its newline. */
  get hasPending(): boolean {
    return this.lines.hasPending;
  }

  push(chunk: string): string[] {
    return this.pushPieces(chunk).map((p) => p.line);
  }

  /**
   * Like `push`, saying which lines are cuts of a longer one: whoever masks
   * secrets must look across the cut (log-sink.ts holds back a window).
   */
  pushPieces(chunk: string): LinePiece[] {
    return this.lines.pushParts(chunk).flatMap((part) => finishLine(part.text, part.whole, this.maxLength));
  }

  /** Returns what is left once the stream ended. */
  flush(): string[] {
    return this.flushPieces().map((p) => p.line);
  }

  /** `flush`, as pieces (the last one never continues). */
  flushPieces(): LinePiece[] {
    return this.lines.flush().flatMap((raw) => finishLine(raw, true, this.maxLength));
  }
}

function finishLine(raw: string, whole: boolean, maxLength: number): LinePiece[] {
  let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (line.includes('\r')) {
    const segments = line.split('\r').filter((s) => s.length > 0);
    line = segments.at(-1) ?? '';
  }
  const parts = cutLine(dropControls(line), maxLength);
  return parts.map((part, i) => ({ line: part, continues: i < parts.length - 1 || !whole }));
}

/** A line without NULs and the other C0 controls but tab and ESC (colours): what Berth stores of it. */
export function dropControls(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replace(/[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f]/g, '');
}

/** Cuts a line into pieces of at most `maxLength` characters (an empty line stays one line). */
export function cutLine(line: string, maxLength: number = maxLineLength): string[] {
  if (line.length <= maxLength) return [line];
  const parts: string[] = [];
  for (let i = 0; i < line.length; i += maxLength) parts.push(line.slice(i, i + maxLength));
  return parts;
}

// eslint-disable-next-line no-control-regex
const escapes = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u001b\u0007]*(?:\u0007|\u001b\\)?|[ -/]*[0-~])/g;

/**
 * A line without terminal escape sequences (colours, cursor moves, titles):
 * what a person reads in `?format=text`, and what secrets are looked for in
 * once more, since a code inside a secret hides it from a plain search.
 */
export function stripAnsi(line: string): string {
  return line.replace(escapes, '');
}

// eslint-disable-next-line no-control-regex
const colourOnly = /\u001b\[[0-9;:]*m/g;

/** Whether a line has escape codes beyond colours (cursor moves, erasing, titles), which can rearrange text on a terminal. */
export function hasNonColourEscapes(line: string): boolean {
  return line.replace(colourOnly, '').includes('\u001b');
}
