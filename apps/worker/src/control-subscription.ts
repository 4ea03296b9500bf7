import { setTimeout as delay } from 'node:timers/promises';
import type { Worker } from 'bullmq';
import { decodeControlMessage } from '@berth/shared/control-messages';
import type { DeploymentJobData } from '@berth/shared/jobs';
import type { Opened } from '@berth/shared/program-lifecycle';
import type { Logger } from '@berth/shared/logger';
import { createRedis } from '@berth/shared/redis';
import { controlChannel } from '@berth/shared/redis-keys';
import type { WorkerConfig } from './config.ts';
import type { ContainerRuntime } from './docker/container-runtime.ts';
import { containerName } from '@berth/shared/docker-names';

/** Cancel, stop and scale requests from the API reach every worker. */
export async function subscribeToControl(
  config: WorkerConfig,
  worker: Worker<DeploymentJobData>,
  runtime: ContainerRuntime,
  logger: Logger,
  opened: Opened,
  /** A deployment's stored replica count changed (swarm mode: the replica reconciler applies it). */
  onScale: (deploymentId: string) => void = () => {},
): Promise<void> {
  const control = createRedis(config.REDIS_URL);
  opened('control subscription', () => control.quit().catch(() => control.disconnect()));
  control.on('message', (_channel: string, raw: string) => {
    const message = decodeControlMessage(raw);
    if (!message) {
      logger.warn({ raw: raw.slice(0, 200) }, 'ignoring a malformed control message');
      return;
    }
    const { deploymentId } = message;
    if (message.type === 'cancel') {
      if (worker.cancelJob(deploymentId, 'canceled by request')) {
        logger.info({ deploymentId }, 'aborting the canceled deployment');
      }
    } else if (message.type === 'scale') {
      onScale(deploymentId);
    } else if (message.type === 'stop') {
      // The container goes once its route has (STOP_ROUTE_DELAY_MS); the image stays while the release
      // is kept for rollback (the reaper decides). A worker that exits meanwhile leaves it to the reaper.
      void delay(config.STOP_ROUTE_DELAY_MS, undefined, { ref: false })
        .then(() => runtime.removeApp(containerName(config.BERTH_INSTANCE, deploymentId)))
        .catch((err: unknown) => logger.warn({ err, deploymentId }, 'removing a stopped deployment failed; the reaper retries'));
    }
  });
  await control.subscribe(controlChannel(config.BERTH_INSTANCE));
}
