/** How long a remembered fact is trusted without an event: an event that never came is corrected this late at worst. */
export const containerFactRefreshMs = 300_000;

interface Known<T> {
  deploymentId: string;
  facts: T;
  /** When it was read (ms). */
  at: number;
}

/**
 * What an `inspect` says of app containers (their restart count, their main
 * process's pid), remembered between sampling rounds. Docker's stats carry no
 * restart count, and an `inspect` per container each round was half of the
 * sampler's requests to dockerd at rest (bench:idle); both only change when the
 * engine starts the container again, which its events report (`changed`, from
 * the sampler's event stream). Facts are read again after an event of their
 * deployment, after `refreshMs`, or when a container is new.
 */
export class ContainerFacts<T> {
  private readonly known = new Map<string, Known<T>>();
  // Bumped by every event: a read that an event overtook is used, not remembered.
  private generation = 0;

  constructor(
    private readonly refreshMs = containerFactRefreshMs,
    private readonly now: () => number = Date.now,
  ) {}

  /** An engine event about a deployment's container (start, die, restart...): its facts are read again. */
  changed(deploymentId: string): void {
    this.generation++;
    for (const [id, known] of this.known) if (known.deploymentId === deploymentId) this.known.delete(id);
  }

  /** The container's facts: remembered, or `read` (an inspect). */
  async of(id: string, deploymentId: string, read: () => Promise<T>): Promise<T> {
    const known = this.known.get(id);
    if (known && this.now() - known.at < this.refreshMs) return known.facts;
    const generation = this.generation;
    const facts = await read();
    if (generation === this.generation) this.known.set(id, { deploymentId, facts, at: this.now() });
    else this.known.delete(id);
    return facts;
  }

  /** Forgets the containers that are not among `running` (gone, replaced). */
  keepOnly(running: ReadonlySet<string>): void {
    for (const id of this.known.keys()) if (!running.has(id)) this.known.delete(id);
  }

  /** Containers whose facts are remembered. */
  get size(): number {
    return this.known.size;
  }
}
