import type { DeploymentStore } from '@berth/shared/deployment-store';
import { GroupCommit } from './group-commit.ts';
import type { DeploymentQueue } from './deployment-queue.ts';

export type DeploymentWithPlace = NonNullable<Awaited<ReturnType<DeploymentStore['getWithPlace']>>>;

/**
 * `GET /api/deployments/:id`'s read, shared by the requests that arrive
 * together (group commit): one statement for their rows (and whether their
 * project URLs serve them), then one MULTI asking the queue itself where the
 * queued ones wait (a rank, where the database would count the queued rows
 * ahead of each). Never stale: a request never joins a batch already under
 * way, so its read begins after it arrived (after any status event its
 * caller saw: a status is committed before it is announced). A queued
 * deployment the queue does not have waiting (a worker took it a moment ago,
 * or Redis is away) is read again with the database's count, as before.
 */
export class DeploymentReads {
  private readonly batches: GroupCommit<string, DeploymentWithPlace | undefined>;

  constructor(
    private readonly store: Pick<DeploymentStore, 'getManyWithPlace'>,
    private readonly queue: Pick<DeploymentQueue, 'placesOf'>,
  ) {
    this.batches = new GroupCommit(async (ids) => {
      const found = await this.read([...new Set(ids)]);
      return ids.map((id) => ({ ok: true, value: found.get(id) }));
    });
  }

  /** The deployment with its place, or undefined when there is none. */
  get(id: string): Promise<DeploymentWithPlace | undefined> {
    return this.batches.submit(id);
  }

  private async read(ids: string[]): Promise<Map<string, DeploymentWithPlace>> {
    const found = await this.store.getManyWithPlace(ids, false);
    const queued = [...found.values()].filter((f) => f.row.status === 'queued').map((f) => f.row.id);
    if (queued.length === 0) return found;
    const places = await (this.queue.placesOf?.(queued) ?? Promise.resolve(new Map<string, number>())).catch(() => new Map<string, number>());
    for (const id of queued) {
      const place = places.get(id);
      if (place !== undefined) found.get(id)!.queuePosition = place;
    }
    const unplaced = queued.filter((id) => !places.has(id));
    if (unplaced.length > 0) for (const [id, counted] of await this.store.getManyWithPlace(unplaced, true)) found.set(id, counted);
    return found;
  }
}

/**
 * Identical reads asked for together share one statement: `read(query)` runs
 * once for every request in a batch that asks the same (the same page of the
 * same list for the same visible projects), as `DeploymentReads` does for
 * single deployments, and like it never joins a batch already under way.
 */
export function sharedReads<Q, R>(read: (query: Q) => Promise<R>): (query: Q) => Promise<R> {
  const batches = new GroupCommit<Q, R>(async (queries) => {
    const byKey = new Map<string, Promise<R>>();
    return Promise.all(
      queries.map((query) => {
        const key = JSON.stringify(query);
        let answer = byKey.get(key);
        if (!answer) byKey.set(key, (answer = read(query)));
        return answer.then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error }),
        );
      }),
    );
  });
  return (query) => batches.submit(query);
}
