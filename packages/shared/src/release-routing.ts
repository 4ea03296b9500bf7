import type { ProjectRow } from './db.ts';
import type { DeploymentLifecycle } from './deployment-lifecycle.ts';
import { isFinal } from './deployment-state.ts';
import type { DeploymentStore } from './deployment-store.ts';
import type { RoutingStore } from './routing-store.ts';

export interface ReleaseRoutingDeps {
  routing: Pick<RoutingStore, 'promote'>;
  store: Pick<DeploymentStore, 'list'>;
  lifecycle: Pick<DeploymentLifecycle, 'stop'>;
  /** Tells router-sync that routes changed. */
  announceRoutes: () => Promise<void>;
}

/**
 * Which release a project's URLs serve, the one home of both changes: the
 * project URL moves to a release (the API's promote and rollback, the
 * worker's healthy release), and a deleted branch's previews stop. Shared
 * because the API and the worker both move the URL.
 */
export class ReleaseRouting {
  constructor(private readonly deps: ReleaseRoutingDeps) {}

  /**
   * Points the project URL at the deployment (router-sync switches in one
   * change). Returns the release it left, which drains, then stops.
   */
  async moveProjectUrl(project: string, deploymentId: string, how: 'release' | 'rollback' = 'release'): Promise<string | undefined> {
    const previous = await this.deps.routing.promote(project, deploymentId, how);
    await this.deps.announceRoutes();
    return previous;
  }

  /**
   * Stops the live previews of a branch (it was deleted). Only previews: one
   * that was promoted (or a release made from it) serves the project now.
   * Returns the ids it stopped.
   */
  async stopPreviews(project: Pick<ProjectRow, 'name' | 'current_deployment_id'>, branch: string): Promise<string[]> {
    const { store, lifecycle } = this.deps;
    const stopped: string[] = [];
    for (let page = await store.list({ limit: 100, project: project.name }); ; ) {
      for (const d of page.items) {
        const preview = d.branch === branch && !d.promote && d.id !== project.current_deployment_id;
        if (preview && !isFinal(d.status)) {
          await lifecycle.stop(d.id);
          stopped.push(d.id);
        }
      }
      if (!page.nextCursor) break;
      page = await store.list({ limit: 100, project: project.name, cursor: page.nextCursor });
    }
    await this.deps.announceRoutes();
    return stopped;
  }
}
