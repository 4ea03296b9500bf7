import { sql } from 'kysely';
import type { Db } from './db.ts';
import { previewLabel } from './branch-slug.ts';
import { deploymentPayload, recordWebhookEvent } from './webhook-outbox.ts';
import { isRoutable, statusesWhere } from './deployment-state.ts';

/** What router-sync routes: each project's current deployment, and which deployments may have a route. */
export class RoutingStore {
  constructor(private readonly db: Db) {}

  /**
   * Points the project's stable URL at this deployment (one router change)
   * and retires the one it pointed at: that one drains for DRAIN_MS, then is
   * stopped (the reaper's `retireDrained`). Returns the retired deployment's
   * id, if another one was current.
   */
  async promote(project: string, deploymentId: string, how: 'release' | 'rollback' = 'release'): Promise<string | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('projects')
        .select('current_deployment_id')
        .where('name', '=', project)
        .forUpdate()
        .executeTakeFirst();
      const previous = before?.current_deployment_id ?? undefined;
      await trx
        .updateTable('projects')
        .set({ current_deployment_id: deploymentId, updated_at: new Date() })
        .where('name', '=', project)
        .execute();
      const promoted = await trx
        .updateTable('deployments')
        .set({ retired_at: null })
        .where('id', '=', deploymentId)
        .returningAll()
        .executeTakeFirst();
      if (promoted && previous !== deploymentId) {
        const data = { deployment: deploymentPayload(promoted), previousDeploymentId: previous ?? null };
        const rollback = how === 'rollback' || promoted.release_of !== null;
        await recordWebhookEvent(trx, project, rollback ? 'release.rolled_back' : 'release.promoted', data);
      }
      if (previous && previous !== deploymentId) {
        await trx.updateTable('deployments').set({ retired_at: new Date() }).where('id', '=', previous).execute();
        return previous;
      }
      return undefined;
    });
  }

  /** Live deployments whose project URL moved away more than `drainMs` ago: time to stop them. */
  async drained(drainMs: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('deployments')
      .select('id')
      .where('retired_at', '<', new Date(Date.now() - drainMs))
      .where('status', 'in', ['running', 'crashed'])
      .limit(500)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Project name → its current deployment's id. */
  async currentDeployments(): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('projects')
      .select(['name', 'current_deployment_id'])
      .where('current_deployment_id', 'is not', null)
      .execute();
    return new Map(rows.map((r) => [r.name, r.current_deployment_id!]));
  }

  /**
   * Branch previews: `<branch-slug>--<project>` → the branch's newest running
   * preview (a push to the branch moves it there once that one is healthy).
   */
  async previews(): Promise<Map<string, string>> {
    const { rows } = await sql<{ id: string; project: string; branch: string }>`
      select distinct on (project, branch) id, project, branch
      from deployments
      where branch is not null and status = 'running'
      order by project, branch, created_at desc, id desc`.execute(this.db);
    return new Map(rows.map((r) => [previewLabel(r.branch, r.project), r.id]));
  }

  /** Those of `ids` whose status is routable (see `isRoutable`). */
  async routable(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('deployments')
      .select('id')
      .where('id', 'in', ids)
      .where('status', 'in', statusesWhere(isRoutable))
      .execute();
    return new Set(rows.map((r) => r.id));
  }
}
