import { sql } from 'kysely';
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

  /**
   * Deletes the archives no attempt or redeploy can need: of deployments no
   * longer in flight, except the releases kept (`keep` per project); returns their ids.
   */
  async deleteSpentArchives(keep: number): Promise<string[]> {
    const spent = statusesWhere((s) => !isInFlight(s));
    const kept = await this.keptReleases(keep);
    const rows = await this.db
      .deleteFrom('deployment_archives')
      .where('deployment_id', 'in', (qb) => qb.selectFrom('deployments').select('id').where('status', 'in', spent))
      .$if(kept.size > 0, (qb) => qb.where('deployment_id', 'not in', [...kept]))
      .returning('deployment_id')
      .execute();
    return rows.map((r) => r.deployment_id);
  }

  /**
   * Releases whose image is kept: per project, the newest `keep` deployments
   * that went live (running, crashed, or stopped with their image), and every
   * live one whatever its age.
   */
  async keptReleases(keep: number): Promise<Set<string>> {
    const { rows } = await sql<{ id: string }>`
      select id from (
        select id, status, row_number() over (partition by project order by created_at desc, id desc) as n
        from deployments
        where image is not null and status in ('running', 'crashed', 'stopped')
      ) r
      where n <= ${keep} or status in ('running', 'crashed')`.execute(this.db);
    return new Set(rows.map((r) => r.id));
  }
}
