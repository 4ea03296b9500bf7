import type { ControlPublisher } from './control-messages.ts';
import type { DeploymentRow } from './db.ts';
import { isInFlight, isLive, type DeploymentStatus } from './deployment-state.ts';
import { BerthError } from './errors.ts';

/** What ending a deployment needs of the lifecycle: every status change still goes through its `transition`. */
export interface EndDeps {
  control: ControlPublisher;
  pendingJobs?: { remove(deploymentId: string): Promise<void> };
  get(id: string): Promise<DeploymentRow | undefined>;
  transition(id: string, from: readonly DeploymentStatus[], to: DeploymentStatus, fields?: { errorCode?: string; errorMessage?: string }): Promise<DeploymentRow | undefined>;
}

/**
 * Ends a deployment by request (DeploymentLifecycle's `cancel` and `stop`):
 * one in flight is canceled (its pending job dropped, its worker told), a
 * live one stopped; one already over is returned as it is, except that
 * `cancel` refuses what is not in flight. Looks again when the deployment
 * moved on meanwhile.
 */
export async function endByRequest(deps: EndDeps, id: string, action: 'cancel' | 'stop'): Promise<DeploymentRow> {
  const { control, pendingJobs } = deps;
  for (let attempt = 0; attempt < 5; attempt++) {
    const row = await deps.get(id);
    if (!row) throw new BerthError('NOT_FOUND', `deployment ${id} does not exist`);
    if (isInFlight(row.status)) {
      const done = await deps.transition(id, [row.status], 'canceled', {
        errorCode: 'CANCELED',
        errorMessage: 'canceled by request',
      });
      if (!done) continue; // it moved on meanwhile: look again
      await pendingJobs?.remove(id);
      await control.send({ type: 'cancel', deploymentId: id });
      return done;
    }
    if (isLive(row.status)) {
      if (action === 'cancel') {
        throw new BerthError('CONFLICT', `deployment ${id} is ${row.status}; stop it with DELETE /api/deployments/${id}`);
      }
      const done = await deps.transition(id, [row.status], 'stopped');
      if (!done) continue;
      await control.send({ type: 'stop', deploymentId: id });
      return done;
    }
    if (action === 'cancel') throw new BerthError('CONFLICT', `deployment ${id} is already ${row.status}`);
    return row;
  }
  throw new BerthError('CONFLICT', `deployment ${id} keeps changing state; try again`);
}
