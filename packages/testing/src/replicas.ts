import type { DeploymentStatus } from '@berth/shared/deployment-state';
import { DeploymentStore } from '@berth/shared/deployment-store';
import { newDeploymentId } from '@berth/shared/ids';
import { silentLifecycle } from './database.ts';
import type { Stack } from './stack.ts';

/** The transitions from `queued` that reach each status (through the lifecycle, the one status writer). */
const pathTo: Record<DeploymentStatus, DeploymentStatus[]> = {
  queued: [],
  fetching: ['fetching'],
  building: ['fetching', 'building'],
  starting: ['fetching', 'building', 'starting'],
  running: ['fetching', 'building', 'starting', 'running'],
  crashed: ['fetching', 'building', 'starting', 'running', 'crashed'],
  stopped: ['fetching', 'building', 'starting', 'running', 'stopped'],
  failed: ['failed'],
  canceled: ['canceled'],
};

/**
 * A deployment of `project` in `status`, made as the API makes one and moved there as the workers
 * would, with no worker (tests of scaling): `current` makes it serve the project URL, `image` gives
 * it a kept image (the project page lists it as a release).
 */
export async function deploymentIn(
  stack: Stack,
  project: string,
  status: DeploymentStatus,
  options: { current?: boolean; image?: boolean } = {},
): Promise<string> {
  const { db } = stack.db;
  const id = newDeploymentId();
  await new DeploymentStore(db).create({ id, project, sourceType: 'git', gitUrl: 'https://example.com/a.git', rootDir: '', port: 3000, env: {} });
  const lifecycle = silentLifecycle(db);
  let from: DeploymentStatus = 'queued';
  for (const to of pathTo[status]) {
    if (!(await lifecycle.transition(id, [from], to))) throw new Error(`${id} did not move ${from} → ${to}`);
    from = to;
  }
  if (options.image) await db.updateTable('deployments').set({ image: `img-${id}` }).where('id', '=', id).execute();
  if (options.current) await db.updateTable('projects').set({ current_deployment_id: id }).where('name', '=', project).execute();
  return id;
}

/** A deployment's stored replica count. */
export async function storedReplicas(stack: Stack, id: string): Promise<number> {
  return (await stack.db.db.selectFrom('deployments').select('replicas').where('id', '=', id).executeTakeFirstOrThrow()).replicas;
}
