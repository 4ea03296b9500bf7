import { sql } from 'kysely';
import type { Db } from './db.ts';
import type { DeploymentLifecycle } from './deployment-lifecycle.ts';
import { isLive, statusesWhere } from './deployment-state.ts';

/** What one settling did: previews retired (they drain, then stop) and previews stopped at once. */
export interface SettledPreviews {
  retired: string[];
  stopped: string[];
}

/**
 * Previews a project keeps running (issue 25). A preview is a deployment made
 * with promote=false that does not serve the project URL. Of a branch, only
 * the newest running preview is kept: older live ones are retired (their
 * branch URL moved on, so they drain for DRAIN_MS like a replaced release,
 * then the reaper's `retireDrained` stops them). Of the live previews not
 * retired, at most `max` per project keep running: the oldest beyond it are
 * stopped at once (no newer one takes their URL, so there is nothing to drain for).
 */
export class PreviewLimits {
  constructor(
    private readonly db: Db,
    private readonly lifecycle: Pick<DeploymentLifecycle, 'stop'>,
  ) {}

  /** Applies both rules to the project (safe to run concurrently: a retirement is one statement, a stop idempotent). */
  async settle(project: string, max: number): Promise<SettledPreviews> {
    const retired = await this.retireSuperseded(project);
    const stopped: string[] = [];
    for (const id of await this.beyondLimit(project, max)) {
      await this.lifecycle.stop(id);
      stopped.push(id);
    }
    return { retired, stopped };
  }

  /**
   * Settles every project with more than one live preview (the reaper's periodic, level-triggered
   * pass: a worker that died right after a preview went live did not settle its project).
   */
  async settleAll(max: number): Promise<SettledPreviews> {
    const { rows } = await sql<{ project: string }>`
      select project from deployments
      where not promote and retired_at is null and status in (${sql.join(statusesWhere(isLive))})
      group by project having count(*) > 1
      limit 500`.execute(this.db);
    const all: SettledPreviews = { retired: [], stopped: [] };
    for (const { project } of rows) {
      const { retired, stopped } = await this.settle(project, max);
      all.retired.push(...retired);
      all.stopped.push(...stopped);
    }
    return all;
  }

  /**
   * Retires the live previews of each branch that a newer running preview of the same branch replaced.
   * One statement (the update only sets retired_at; the lifecycle alone writes a status).
   */
  private async retireSuperseded(project: string): Promise<string[]> {
    const { rows } = await sql<{ id: string }>`
      with superseded as (
        select d.id from deployments d
        where d.project = ${project} and d.branch is not null and not d.promote and d.retired_at is null
          and d.status in (${sql.join(statusesWhere(isLive))})
          and d.id is distinct from (select current_deployment_id from projects where name = ${project})
          and exists (
            select 1 from deployments n
            where n.project = d.project and n.branch = d.branch and not n.promote and n.status = 'running'
              and (n.created_at, n.id) > (d.created_at, d.id))
      )
      update deployments set retired_at = ${new Date()}
      where id in (select id from superseded) and retired_at is null
      returning id`.execute(this.db);
    return rows.map((r) => r.id);
  }

  /** The live previews (not retired, not serving the project URL) past the newest `max`, newest first. */
  private async beyondLimit(project: string, max: number): Promise<string[]> {
    const { rows } = await sql<{ id: string }>`
      select d.id from deployments d
      where d.project = ${project} and not d.promote and d.retired_at is null
        and d.status in (${sql.join(statusesWhere(isLive))})
        and d.id is distinct from (select current_deployment_id from projects where name = ${project})
      order by d.created_at desc, d.id desc
      offset ${max}`.execute(this.db);
    return rows.map((r) => r.id);
  }
}
