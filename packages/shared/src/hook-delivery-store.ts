import type { Db } from './db.ts';

/**
 * Incoming git hook deliveries already acted on, by project: what refuses a
 * replay. A delivery is known by several keys (its id, the hash of its signed
 * body); it is new only when none of them was seen.
 */
export class HookDeliveryStore {
  constructor(private readonly db: Db) {}

  /**
   * Records the keys if none was seen before, and says whether they were new.
   * On a partial match nothing stays recorded.
   */
  async claim(project: string, keys: string[]): Promise<boolean> {
    const fresh = await this.db
      .insertInto('hook_deliveries')
      .values(keys.map((delivery_id) => ({ project, delivery_id })))
      .onConflict((oc) => oc.doNothing())
      .returning('delivery_id')
      .execute();
    if (fresh.length === keys.length) return true;
    if (fresh.length > 0) await this.release(project, fresh.map((f) => f.delivery_id));
    return false;
  }

  /** Forgets the keys (the delivery was not acted on after all: a host's redelivery must work). */
  async release(project: string, keys: string[]): Promise<void> {
    await this.db.deleteFrom('hook_deliveries').where('project', '=', project).where('delivery_id', 'in', keys).execute();
  }
}
