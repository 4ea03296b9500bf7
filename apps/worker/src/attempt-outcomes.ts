import type { DeploymentStatus } from '@berth/shared/deployment-state';
import type { ErrorCode } from '@berth/shared/errors';

/**
 * Thrown by `run` once a deployment's failure is recorded: the deployment is
 * final, so its job fails without another attempt. The message is masked
 * (the job's failure reason is shown wherever BullMQ jobs are).
 */
export class DeploymentFailedError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'DeploymentFailedError';
  }
}

/** The abort reason a worker gives its jobs when its shutdown grace period is over. */
export const shutdownReason = 'worker shutdown';

/**
 * Thrown inside the pipeline when a status change finds the deployment already
 * final (canceled or failed by someone else meanwhile): the attempt stops.
 */
export class Superseded extends Error {
  constructor(readonly status: DeploymentStatus) {
    super(`deployment is already ${status}`);
  }
}

/** Thrown before an attempt begins when another deployment of the project is being built: the job waits. */
export class ProjectBusy extends Error {
  constructor(readonly project: string) {
    super(`another deployment of ${project} is being built`);
    this.name = 'ProjectBusy';
  }
}
