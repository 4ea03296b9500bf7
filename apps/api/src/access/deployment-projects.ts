import type { DeploymentStore } from '@berth/shared/deployment-store';

/**
 * The project of a deployment, for routes that act on one (`config.project:
 * 'deployment'`). A deployment never moves to another project, so an answer
 * is kept (the most recent `max`): a busy dashboard polling a deployment costs
 * one extra read once, not one per request.
 */
export class DeploymentProjects {
  private readonly known = new Map<string, string>();

  constructor(
    private readonly store: Pick<DeploymentStore, 'get'>,
    private readonly max = 10_000,
  ) {}

  /** The deployment's project, or undefined when there is no such deployment. */
  async of(id: string): Promise<string | undefined> {
    const hit = this.known.get(id);
    if (hit !== undefined) return hit;
    const row = await this.store.get(id);
    if (!row) return undefined;
    if (this.known.size >= this.max) this.known.delete(this.known.keys().next().value!);
    this.known.set(id, row.project);
    return row.project;
  }
}
