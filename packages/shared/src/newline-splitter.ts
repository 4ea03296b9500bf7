/**
 * Cuts a stream of text chunks (not line-aligned) at newlines: the one
 * framing every newline-delimited stream Berth reads goes through (build and
 * container output, Docker's JSON event and build streams). What a line
 * becomes after that (carriage returns, control characters, cutting to a
 * stored size) is the caller's business; see `LineSplitter` in log-line.ts.
 *
 * Memory stays bounded while a newline does not come: past `maxPending`,
 * `overflow: 'drop'` discards the partial line (a JSON message that big is
 * not one to parse), `{ cut: n }` hands it on in pieces of `n` characters
 * (output is never lost, only cut).
 */
/** A piece of the stream: a whole line, or (`whole: false`) a cut of one that goes on in the next piece. */
export interface SplitPart {
  text: string;
  whole: boolean;
}

export class NewlineSplitter {
  private pending = '';

  constructor(
    private readonly options: { maxPending: number; overflow: 'drop' | { cut: number } },
  ) {}

  /** Whether part of a line is waiting for its newline. */
  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** The complete lines `chunk` ends, without their newline (and the cuts of an overflowing line). */
  push(chunk: string): string[] {
    return this.pushParts(chunk).map((p) => p.text);
  }

  /** Like `push`, saying which pieces are cuts of a line that goes on (a secret may straddle the cut). */
  pushParts(chunk: string): SplitPart[] {
    // Only the new chunk can hold a newline. Searching the whole of a long
    // pending line on every chunk flattened it each time (quadratic: seconds for 5 MiB).
    let from = chunk.includes('\n') ? this.pending.length : -1;
    this.pending += chunk;
    const out: SplitPart[] = [];
    let nl: number;
    while (from !== -1 && (nl = this.pending.indexOf('\n', from)) !== -1) {
      out.push({ text: this.pending.slice(0, nl), whole: true });
      this.pending = this.pending.slice(nl + 1);
      from = 0;
    }
    const { maxPending, overflow } = this.options;
    if (this.pending.length > maxPending) {
      if (overflow === 'drop') {
        this.pending = '';
      } else {
        while (this.pending.length > maxPending) {
          out.push({ text: this.pending.slice(0, overflow.cut), whole: false });
          this.pending = this.pending.slice(overflow.cut);
        }
      }
    }
    return out;
  }

  /** What is left once the stream ended (a last line without a newline). */
  flush(): string[] {
    const rest = this.pending;
    this.pending = '';
    return rest.length > 0 ? [rest] : [];
  }
}
