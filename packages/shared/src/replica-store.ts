import type { ControlPublisher } from './control-messages.ts';
import type { Db, DeploymentRow, ProjectRow } from './db.ts';
import { isInFlight, isLive, statusesWhere } from './deployment-state.ts';
import { BerthError } from './errors.ts';

/** What bounds a replica count: the runtime (docker runs one container) and SWARM_MAX_REPLICAS. */
export interface ReplicaLimits {
  runtime: 'docker' | 'swarm';
  max: number;
}

/** A whole number from 1 to `max`; more than 1 only on Swarm. Throws INVALID_REPLICAS or REPLICAS_NEED_SWARM. */
export function checkReplicas(value: unknown, limits: ReplicaLimits): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > limits.max) {
    throw new BerthError(
      'INVALID_REPLICAS',
      `replicas must be a whole number from 1 to ${limits.max} (SWARM_MAX_REPLICAS); to stop a deployment, DELETE it`,
    );
  }
  if (value > 1 && limits.runtime === 'docker') {
    throw new BerthError(
      'REPLICAS_NEED_SWARM',
      'this Berth runs one container per deployment (BERTH_RUNTIME=docker); to run several replicas, run it on Docker Swarm: ' +
        'BERTH_RUNTIME=swarm and BERTH_REGISTRY on the API, the workers and router-sync (README, "Several nodes: Docker Swarm")',
    );
  }
  return value;
}

const live = statusesWhere(isLive);
const inFlight = statusesWhere(isInFlight);

/** A live deployment and how many copies it should run. */
export interface DesiredReplicas {
  id: string;
  replicas: number;
}

/**
 * Desired replica counts of projects and deployments. Every change is the
 * stored count plus a `scale` poke to the workers, through this one owner;
 * the poke only makes the change prompt: each worker's replica reconciler
 * compares every live deployment with its service periodically too, so a
 * poke lost (Redis down, no worker running) is caught up later.
 */
export class ReplicaStore {
  constructor(private readonly deps: { db: Db; control: ControlPublisher }) {}

  /** Sets a live deployment's count; NOT_FOUND, or DEPLOYMENT_NOT_LIVE for one that is not running (nor crashed). */
  async scaleDeployment(id: string, replicas: number): Promise<DeploymentRow> {
    // Under the row lock, so the deployment cannot stop between the check and the change
    // (status changes are the lifecycle's compare-and-set on the same row).
    const row = await this.deps.db.transaction().execute(async (trx) => {
      const found = await trx.selectFrom('deployments').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!found) throw new BerthError('NOT_FOUND', `deployment ${id} does not exist`);
      if (!isLive(found.status)) {
        throw new BerthError(
          'DEPLOYMENT_NOT_LIVE',
          `deployment ${id} is ${found.status}: only a running deployment can be scaled ` +
            `(new deployments of ${found.project} take the project's replicas: PATCH /api/projects/${found.project})`,
        );
      }
      return trx.updateTable('deployments').set({ replicas }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    });
    await this.poke([row.id]);
    return row;
  }

  /**
   * Sets the project's count. New deployments take it; so do the project's
   * current release (what its URL serves: scaling the app scales it at once)
   * and its deployments under way (they start with it). Other live releases
   * (previews, one draining) keep theirs.
   */
  async scaleProject(name: string, replicas: number): Promise<ProjectRow> {
    const { project, changed } = await this.deps.db.transaction().execute(async (trx) => {
      const project = await trx
        .updateTable('projects')
        .set({ replicas, updated_at: new Date() })
        .where('name', '=', name)
        .returningAll()
        .executeTakeFirst();
      if (!project) throw new BerthError('NOT_FOUND', `project ${name} does not exist`);
      // Locked, as in scaleDeployment: what is chosen here is what is changed.
      const candidates = await trx
        .selectFrom('deployments')
        .select(['id', 'status'])
        .where('project', '=', name)
        .where('status', 'in', [...inFlight, ...live])
        .forUpdate()
        .execute();
      const changed = candidates.filter((d) => isInFlight(d.status) || d.id === project.current_deployment_id);
      if (changed.length > 0) {
        await trx.updateTable('deployments').set({ replicas }).where('id', 'in', changed.map((d) => d.id)).execute();
      }
      return { project, changed };
    });
    await this.poke(changed.filter((d) => isLive(d.status)).map((d) => d.id));
    return project;
  }

  /** Every live deployment's desired count (what the reconciler compares with the services). */
  async desired(): Promise<DesiredReplicas[]> {
    return this.deps.db.selectFrom('deployments').select(['id', 'replicas']).where('status', 'in', live).orderBy('created_at').execute();
  }

  /** One deployment's desired count while it is live; undefined otherwise. */
  async desiredOf(id: string): Promise<DesiredReplicas | undefined> {
    return this.deps.db.selectFrom('deployments').select(['id', 'replicas']).where('id', '=', id).where('status', 'in', live).executeTakeFirst();
  }

  private async poke(ids: string[]): Promise<void> {
    for (const deploymentId of ids) {
      // Stored already: a poke that does not get through only makes the change wait for the next periodic reconcile.
      await this.deps.control.send({ type: 'scale', deploymentId }).catch(() => {});
    }
  }
}
