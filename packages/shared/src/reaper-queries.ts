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
   * One statement, so one snapshot: a deployment that goes live while it runs
   * is either still in flight or already kept, never both missed.
   */
  async deleteSpentArchives(keep: number): Promise<string[]> {
    const spent = statusesWhere((s) => !isInFlight(s));
    const { rows } = await sql<{ deployment_id: string }>`
      delete from deployment_archives a using deployments d
      where d.id = a.deployment_id
        and d.status in (${sql.join(spent)})
        and a.deployment_id not in (${keptReleasesQuery(keep)})
      returning a.deployment_id`.execute(this.db);
    return rows.map((r) => r.deployment_id);
  }

  /**
   * Deployments whose image is kept: per project, those of the newest `keep`
   * builds that went live (a rollback runs an older build again: it counts
   * as that build, not as a new one), and every live one whatever its age.
   */
  async keptReleases(keep: number): Promise<Set<string>> {
    const { rows } = await sql<{ id: string }>`${keptReleasesQuery(keep)}`.execute(this.db);
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Forgets finished outgoing deliveries older than `olderThanMs` (their
   * history). Incoming hook delivery ids are kept: GitHub's signatures carry
   * no timestamp, so a forgotten id would let an old delivery be replayed.
   */
  async pruneDeliveries(olderThanMs: number): Promise<number> {
    const before = new Date(Date.now() - olderThanMs);
    const sent = await this.db
      .deleteFrom('webhook_deliveries')
      .where('created_at', '<', before)
      .where('status', '!=', 'pending')
      .executeTakeFirst();
    return Number(sent.numDeletedRows);
  }
}

/** The ids of the releases kept (see `keptReleases`), as a query to embed in another. */
function keptReleasesQuery(keep: number) {
  return sql<{ id: string }>`
    with released as (
      select d.id, d.project, d.status, coalesce(d.release_of, d.id) as build
      from deployments d
      where d.image is not null and d.status in ('running', 'crashed', 'stopped')
    ),
    builds as (
      select r.build, row_number() over (partition by r.project order by b.created_at desc, b.id desc) as n
      from (select distinct project, build from released) r
      join deployments b on b.id = r.build
    )
    select released.id from released join builds on builds.build = released.build
    where builds.n <= ${keep} or released.status in ('running', 'crashed')`;
}
