import type { DeploymentRow } from '@berth/shared/db';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import { BerthError } from '@berth/shared/errors';

/** What the routes accept as a deployment id (looser than the ids Berth makes, so an old or odd id gets a 404, not a 400). */
export const deploymentIdSchema = { type: 'string', pattern: '^[a-z0-9]{1,64}$' } as const;

export const idParams = {
  type: 'object',
  properties: { id: deploymentIdSchema },
  required: ['id'],
} as const;

/** The deployment, or NOT_FOUND. */
export async function loadDeployment(store: Pick<DeploymentStore, 'get'>, id: string): Promise<DeploymentRow> {
  const row = await store.get(id);
  if (!row) throw new BerthError('NOT_FOUND', `deployment ${id} does not exist`);
  return row;
}
