import type { DeploymentRow } from '@berth/shared/db';
import type { DeploymentLifecycle } from '@berth/shared/deployment-lifecycle';
import type { Logger } from '@berth/shared/logger';
import type { DeploymentQueue } from './deployment-queue.ts';

export interface EnqueueDeps {
  queue: Pick<DeploymentQueue, 'enqueueMany'>;
  lifecycle: Pick<DeploymentLifecycle, 'transition' | 'supersedeQueued'>;
  logger: Logger;
}

/**
 * Enqueues new deployments' jobs in one call (failing the rows if the queue
 * is down), then the older queued ones of their lanes are superseded.
 */
export async function enqueueReleases(deps: EnqueueDeps, rows: DeploymentRow[]): Promise<void> {
  try {
    await deps.queue.enqueueMany(rows.map((r) => r.id));
  } catch (err) {
    // Never leave a queued row that no job will ever pick up.
    for (const row of rows) {
      await deps.lifecycle
        .transition(row.id, ['queued'], 'failed', {
          errorCode: 'QUEUE_UNAVAILABLE',
          errorMessage: 'the job queue was unavailable when the deployment was created',
        })
        .catch((e: unknown) => deps.logger.error({ err: e, deploymentId: row.id }, 'could not fail the row'));
    }
    throw err;
  }
  const superseded = await deps.lifecycle.supersedeQueued(rows);
  if (superseded.length > 0) deps.logger.info({ deployments: rows.map((r) => r.id), superseded }, 'superseded older queued deployments');
}
