/** The job catalog: one queue, one job type. */
export const deploymentQueueName = 'deployments';

export interface DeploymentJobData {
  deploymentId: string;
}

/** BullMQ key prefix per installation, so installs (and test runs) never share a queue. */
export function queuePrefix(instance: string): string {
  return `berth-${instance}`;
}

export const deploymentJobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;
