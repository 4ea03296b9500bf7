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

/** A line longer than this is cut into several lines (never dropped). */
export const maxLineLength = 16 * 1024;

/**
 * Turns arbitrary chunks of output into whole lines. Chunks need not be
 * line-aligned. A line rewritten with carriage returns (progress bars) keeps
 * its final state; overlong lines are split; NULs and other C0 controls except
 * tab and ESC (colours) are dropped so a binary blob cannot break a consumer.
 */
export class LineSplitter {
  private pending = '';

  push(chunk: string): string[] {
    this.pending += chunk;
    const out: string[] = [];
    let nl: number;
    while ((nl = this.pending.indexOf('\n')) !== -1) {
      out.push(...finishLine(this.pending.slice(0, nl)));
      this.pending = this.pending.slice(nl + 1);
    }
    while (this.pending.length > maxLineLength * 4) {
      // A huge line with no newline yet: emit full-size pieces now so memory stays bounded.
      out.push(...finishLine(this.pending.slice(0, maxLineLength)));
      this.pending = this.pending.slice(maxLineLength);
    }
    return out;
  }

  /** Returns what is left once the stream ended. */
  flush(): string[] {
    const rest = this.pending;
    this.pending = '';
    return rest.length > 0 ? finishLine(rest) : [];
  }
}

function finishLine(raw: string): string[] {
  let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (line.includes('\r')) {
    const segments = line.split('\r').filter((s) => s.length > 0);
    line = segments.at(-1) ?? '';
  }
  // eslint-disable-next-line no-control-regex
  line = line.replace(/[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f]/g, '');
  if (line.length <= maxLineLength) return [line];
  const parts: string[] = [];
  for (let i = 0; i < line.length; i += maxLineLength) parts.push(line.slice(i, i + maxLineLength));
  return parts;
}
