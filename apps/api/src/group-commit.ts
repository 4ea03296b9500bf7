/** One item's outcome in a batch. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: items submitted while `maxInFlight` batches are already
 * under way wait and go together in the next batch (at most `maxBatch`), so
 * under load N requests cost one statement and one queue call instead of N;
 * with nothing under way an item goes at once, alone (no timer, no added
 * latency when idle). `run` answers each item in order; an item's failure is
 * its own, and a `run` that throws fails the whole batch.
 */
export class GroupCommit<I, O> {
  private waiting: Waiting<I, O>[] = [];
  private inFlight = 0;

  constructor(
    private readonly run: (items: I[]) => Promise<Settled<O>[]>,
    private readonly maxInFlight = 2,
    private readonly maxBatch = 100,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.inFlight++;
      void this.flush(batch);
    }
  }

  private async flush(batch: Waiting<I, O>[]): Promise<void> {
    try {
      const results = await this.run(batch.map((w) => w.item));
      batch.forEach((w, i) => {
        const result = results[i];
        if (!result) w.reject(new Error('group commit: no result for an item'));
        else if (result.ok) w.resolve(result.value);
        else w.reject(result.error);
      });
    } catch (err) {
      for (const w of batch) w.reject(err);
    } finally {
      this.inFlight--;
      this.pump();
    }
  }
}

/**
 * A batch `run` from a function that does many items in one statement: when
 * that fails for a batch of several, each item is tried again on its own, so
 * one bad item fails only its own request.
 */
export function eachAloneOnFailure<I, O>(many: (items: I[]) => Promise<O[]>): (items: I[]) => Promise<Settled<O>[]> {
  const settle = (values: O[]) => values.map((value) => ({ ok: true as const, value }));
  return async (items) => {
    try {
      return settle(await many(items));
    } catch (err) {
      if (items.length === 1) throw err;
      return Promise.all(items.map((item) => many([item]).then(([value]) => ({ ok: true as const, value: value! }), (error: unknown) => ({ ok: false as const, error }))));
    }
  };
}
