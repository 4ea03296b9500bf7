/** How long a remembered restart count is trusted without an event: an event that never came is corrected this late at worst. */
export const restartCountRefreshMs = 300_000;

interface Known {
  deploymentId: string;
  restarts: number;
  /** When it was read (ms). */
  at: number;
}

/**
 * App containers' restart counts, remembered between sampling rounds. Docker's
 * stats carry no restart count, and an `inspect` per container each round was
 * half of the sampler's requests to dockerd at rest (bench:idle); the count only
 * changes when the engine restarts the container, which its events report
 * (`changed`, from the sampler's event stream). A count is read again after an
 * event of its deployment, after `refreshMs`, or when a container is new.
 */
export class RestartCounts {
  private readonly known = new Map<string, Known>();
  // Bumped by every event: a read that an event overtook is used, not remembered.
  private generation = 0;

  constructor(
    private readonly refreshMs = restartCountRefreshMs,
    private readonly now: () => number = Date.now,
  ) {}

  /** An engine event about a deployment's container (start, die, restart...): its count is read again. */
  changed(deploymentId: string): void {
    this.generation++;
    for (const [id, known] of this.known) if (known.deploymentId === deploymentId) this.known.delete(id);
  }

  /** The container's restart count: remembered, or `read` (an inspect). */
  async of(id: string, deploymentId: string, read: () => Promise<number>): Promise<number> {
    const known = this.known.get(id);
    if (known && this.now() - known.at < this.refreshMs) return known.restarts;
    const generation = this.generation;
    const restarts = await read();
    if (generation === this.generation) this.known.set(id, { deploymentId, restarts, at: this.now() });
    else this.known.delete(id);
    return restarts;
  }

  /** Forgets the containers that are not among `running` (gone, replaced). */
  keepOnly(running: ReadonlySet<string>): void {
    for (const id of this.known.keys()) if (!running.has(id)) this.known.delete(id);
  }

  /** Containers whose count is remembered. */
  get size(): number {
    return this.known.size;
  }
}
