/**
 * The job catalog: the deployments queue (one job type) and the runs queue (a run to execute, or
 * a scheduled job's tick). The queues' Redis key prefix is `queuePrefix` in redis-keys.ts.
 */
export const deploymentQueueName = 'deployments';

/** The one job type: run a deployment's pipeline. */
export const deployJobName = 'deploy';

export interface DeploymentJobData {
  deploymentId: string;
}

export const deploymentJobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

/** What `enqueueDeployment` needs of a BullMQ `Queue` (shared does not depend on BullMQ). */
export interface DeploymentJobQueue {
  add(
    name: typeof deployJobName,
    data: DeploymentJobData,
    options: typeof deploymentJobOptions & { jobId: string },
  ): Promise<unknown>;
}

/** What `enqueueDeployments` needs of a BullMQ `Queue`. */
export interface DeploymentJobBulkQueue {
  addBulk(
    jobs: { name: typeof deployJobName; data: DeploymentJobData; opts: typeof deploymentJobOptions & { jobId: string } }[],
  ): Promise<unknown>;
}

/**
 * Adds the deployment's job. The job id is the deployment id, so adding it
 * again while a job for it exists (in any state) never duplicates work.
 */
export async function enqueueDeployment(queue: DeploymentJobQueue, deploymentId: string): Promise<void> {
  await queue.add(deployJobName, { deploymentId }, { ...deploymentJobOptions, jobId: deploymentId });
}

/** Several deployments' jobs in one Redis round trip (BullMQ `addBulk`), each as `enqueueDeployment` adds it. */
export async function enqueueDeployments(queue: DeploymentJobBulkQueue, deploymentIds: readonly string[]): Promise<void> {
  await queue.addBulk(deploymentIds.map((id) => ({ name: deployJobName, data: { deploymentId: id }, opts: { ...deploymentJobOptions, jobId: id } })));
}

/** One-off runs and scheduled jobs' ticks (apps/worker/src/runs). */
export const runQueueName = 'runs';
/** Execute one recorded run (a one-off run, or a job run now). The BullMQ job id is the run id. */
export const runJobName = 'run';
/** A job scheduler's tick: record a run of the job (or a skipped one) and execute it. */
export const tickJobName = 'tick';

export interface RunJobData {
  runId: string;
}

export interface TickJobData {
  jobId: string;
  /** Set once the tick recorded its run: a tick taken over after a crash finds it. */
  runId?: string;
}

/** The job scheduler's id of a scheduled job (one per job; upserting it again changes its schedule). */
export const jobSchedulerId = (jobId: string): string => `job-${jobId}`;

/** Runs are not retried by BullMQ: a command that ran half-way is not run again behind the user's back. */
export const runJobOptions = {
  attempts: 1,
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 24 * 3600, count: 1000 },
} as const;

/** Service backups and restores (apps/worker/src/backups). */
export const backupQueueName = 'backups';
/** Carry out one recorded backup or restore. The BullMQ job id is its id. */
export const backupJobName = 'backup';

/** A service's backup schedule ticking (its job scheduler's job): take a backup now unless one is under way. */
export const scheduledBackupJobName = 'scheduled-backup';

export interface BackupJobData {
  backupId: string;
}

export interface ScheduledBackupJobData {
  serviceId: string;
}

/** The job scheduler's id of a service's backup schedule. */
export const backupSchedulerId = (serviceId: string): string => `backup-${serviceId}`;

/** Not retried by BullMQ: a restore applied half-way is not applied again behind the user's back. */
export const backupJobOptions = runJobOptions;

/**
 * A service's backup job scheduler as the API and a worker set it (BullMQ upsertJobScheduler's
 * arguments): its pattern read in UTC whatever the host's zone, one tick job per fire time.
 */
export function backupScheduler(serviceId: string, schedule: string) {
  return [backupSchedulerId(serviceId), { pattern: schedule, tz: 'UTC' }, { name: scheduledBackupJobName, data: { serviceId } satisfies ScheduledBackupJobData, opts: backupJobOptions }] as const;
}
