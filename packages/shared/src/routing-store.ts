import type { Db } from './db.ts';
import { isRoutable, statusesWhere } from './deployment-state.ts';

/** What router-sync routes: each project's current deployment, and which deployments may have a route. */
export class RoutingStore {
  constructor(private readonly db: Db) {}

  /** Points the project's stable URL at this deployment. */
  async promote(project: string, deploymentId: string): Promise<void> {
    await this.db
      .updateTable('projects')
      .set({ current_deployment_id: deploymentId, updated_at: new Date() })
      .where('name', '=', project)
      .execute();
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
