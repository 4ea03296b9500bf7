import type { Db, DeploymentRow } from './db.ts';
import { isInFlight, statusesWhere, type DeploymentStatus } from './deployment-state.ts';

/** The reaper's questions to Postgres, and the clean-up it does there. */
export class ReaperQueries {
  constructor(private readonly db: Db) {}

  /** Deployments in one of `statuses` not updated for `olderThanMs` (candidates for the reaper). */
  async stale(statuses: readonly DeploymentStatus[], olderThanMs: number): Promise<DeploymentRow[]> {
    return this.db
      .selectFrom('deployments')
      .selectAll()
      .where('status', 'in', statuses)
      .where('updated_at', '<', new Date(Date.now() - olderThanMs))
      .orderBy('created_at')
      .limit(500)
      .execute();
  }

  /** Deletes the archives of deployments no longer in flight (no attempt can need them); returns their ids. */
  async deleteSpentArchives(): Promise<string[]> {
    const spent = statusesWhere((s) => !isInFlight(s));
    const rows = await this.db
      .deleteFrom('deployment_archives')
      .where('deployment_id', 'in', (qb) => qb.selectFrom('deployments').select('id').where('status', 'in', spent))
      .returning('deployment_id')
      .execute();
    return rows.map((r) => r.deployment_id);
  }
}
