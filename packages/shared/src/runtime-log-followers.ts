import { sql } from 'kysely';
import type { Db } from './db.ts';

/**
 * The fence behind the Redis lease of a running deployment's output (migration 0024): one row per
 * followed deployment naming its follower. `LogStore.append` with a follower stores only while the
 * row names it, under a share lock, so a claim waits for an insert in flight and every insert after
 * it stores nothing: a follower that lost its lease cannot store a line its successor reads again.
 */
export class RuntimeLogFollowers {
  constructor(private readonly db: Db) {}

  /**
   * Names `follower` as the deployment's follower; returns the follower it replaced (undefined when
   * nobody followed, or the last one let go cleanly).
   */
  async claim(deploymentId: string, follower: string): Promise<string | undefined> {
    return this.db.transaction().execute(async (trx) => {
      // Locked first: an insert in flight (it holds the row shared) finishes before the claim.
      const previous = await trx.selectFrom('runtime_log_followers').select('follower').where('deployment_id', '=', deploymentId).forUpdate().executeTakeFirst();
      await trx
        .insertInto('runtime_log_followers')
        .values({ deployment_id: deploymentId, follower })
        .onConflict((oc) => oc.column('deployment_id').doUpdateSet({ follower, claimed_at: sql`now()` }))
        .execute();
      return previous?.follower;
    });
  }

  /** Lets go of the deployment, if `follower` still follows it (a successor's claim stays). */
  async release(deploymentId: string, follower: string): Promise<void> {
    await this.db.deleteFrom('runtime_log_followers').where('deployment_id', '=', deploymentId).where('follower', '=', follower).execute();
  }
}
