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
export class NewlineSplitter {
  private pending = '';

  constructor(
    private readonly options: { maxPending: number; overflow: 'drop' | { cut: number } },
  ) {}

  /** Whether part of a line is waiting for its newline. */
  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** The complete lines `chunk` ends, without their newline. */
  push(chunk: string): string[] {
    this.pending += chunk;
    const out: string[] = [];
    let nl: number;
    while ((nl = this.pending.indexOf('\n')) !== -1) {
      out.push(this.pending.slice(0, nl));
      this.pending = this.pending.slice(nl + 1);
    }
    const { maxPending, overflow } = this.options;
    if (this.pending.length > maxPending) {
      if (overflow === 'drop') {
        this.pending = '';
      } else {
        while (this.pending.length > maxPending) {
          out.push(this.pending.slice(0, overflow.cut));
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
