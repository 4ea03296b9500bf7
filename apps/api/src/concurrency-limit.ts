/**
 * At most `max` tasks at once in this process; past that, `refuse()` is
 * thrown at once instead of queueing (a client retries; the server's memory
 * stays bounded by max × the size of one task).
 */
export class ConcurrencyLimit {
  private running = 0;

  constructor(
    private readonly max: number,
    private readonly refuse: () => Error,
  ) {}

  get active(): number {
    return this.running;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) throw this.refuse();
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
    }
  }
}
