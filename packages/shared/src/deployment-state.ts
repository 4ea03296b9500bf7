/**
 * The deployment state machine (ARCHITECTURE.md, "Deployment lifecycle").
 * One transition table; every status change goes through `assertTransition`
 * and is then applied as a compare-and-set in SQL.
 */
export const deploymentStatuses = [
  'queued',
  'fetching',
  'building',
  'starting',
  'running',
  'stopped',
  'crashed',
  'failed',
  'canceled',
] as const;

export type DeploymentStatus = (typeof deploymentStatuses)[number];

const transitions: Record<DeploymentStatus, readonly DeploymentStatus[]> = {
  // A job delivered again after its worker died restarts the pipeline from
  // `fetching` (at-least-once delivery): hence fetching/building/starting → fetching.
  queued: ['fetching', 'failed', 'canceled'],
  fetching: ['fetching', 'building', 'failed', 'canceled'],
  building: ['fetching', 'starting', 'failed', 'canceled'],
  starting: ['fetching', 'running', 'failed', 'canceled'],
  running: ['stopped', 'crashed'],
  crashed: ['running', 'stopped'],
  stopped: [],
  failed: [],
  canceled: [],
};

export function isDeploymentStatus(value: string): value is DeploymentStatus {
  return (deploymentStatuses as readonly string[]).includes(value);
}

export function canTransition(from: DeploymentStatus, to: DeploymentStatus): boolean {
  return transitions[from].includes(to);
}

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: DeploymentStatus,
    readonly to: DeploymentStatus,
  ) {
    super(`illegal deployment transition ${from} → ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

export function assertTransition(from: DeploymentStatus, to: DeploymentStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
}

/** States that nothing will ever move a deployment out of. */
export function isFinal(status: DeploymentStatus): boolean {
  switch (status) {
    case 'stopped':
    case 'failed':
    case 'canceled':
      return true;
    case 'queued':
    case 'fetching':
    case 'building':
    case 'starting':
    case 'running':
    case 'crashed':
      return false;
    default:
      return assertNever(status);
  }
}

/** States in which a worker owns the deployment (a job is in flight). */
export function isInFlight(status: DeploymentStatus): boolean {
  switch (status) {
    case 'queued':
    case 'fetching':
    case 'building':
    case 'starting':
      return true;
    case 'running':
    case 'crashed':
    case 'stopped':
    case 'failed':
    case 'canceled':
      return false;
    default:
      return assertNever(status);
  }
}

/**
 * States in which the app's container is meant to exist and run: its output
 * is followed, and stopping the deployment removes it.
 */
export function isLive(status: DeploymentStatus): boolean {
  switch (status) {
    case 'running':
    case 'crashed':
      return true;
    case 'queued':
    case 'fetching':
    case 'building':
    case 'starting':
    case 'stopped':
    case 'failed':
    case 'canceled':
      return false;
    default:
      return assertNever(status);
  }
}

/**
 * States whose container router-sync gives a route. `starting` too: the
 * route is ready the moment the app answers. A stopped deployment loses its
 * route at once, even before its container is gone.
 */
export function isRoutable(status: DeploymentStatus): boolean {
  switch (status) {
    case 'starting':
    case 'running':
      return true;
    case 'queued':
    case 'fetching':
    case 'building':
    case 'crashed':
    case 'stopped':
    case 'failed':
    case 'canceled':
      return false;
    default:
      return assertNever(status);
  }
}

/**
 * Whether moving into this state may change what router-sync should route
 * (so announcing it also pokes router-sync). Before `starting` there is no
 * container to route to.
 */
export function mayChangeRoutes(status: DeploymentStatus): boolean {
  switch (status) {
    case 'queued':
    case 'fetching':
    case 'building':
      return false;
    case 'starting':
    case 'running':
    case 'crashed':
    case 'stopped':
    case 'failed':
    case 'canceled':
      return true;
    default:
      return assertNever(status);
  }
}

/** The statuses a predicate above holds for, in table order (for SQL `in` lists). */
export function statusesWhere(predicate: (status: DeploymentStatus) => boolean): DeploymentStatus[] {
  return deploymentStatuses.filter(predicate);
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${String(value)}`);
}
