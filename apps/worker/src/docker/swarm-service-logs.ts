import type Docker from 'dockerode';
import type { FollowLogsOptions } from './container-runtime.ts';
import { statusCode, unavailable } from './docker-errors.ts';
import { followedLogOptions, readTimestampedLines } from './docker-log-stream.ts';

/**
 * A service's output through the manager (the Engine API's /services/{id}/logs, what
 * `docker service logs` reads): its tasks on every node, so a task on a node where no worker
 * runs still logs to Berth. The frames and their timestamps are each task container's own, as
 * a container's log gives them, so the runtime log pump resumes it the same way (from the
 * newest stored stamp; of lines sharing it, as many as are stored are skipped).
 */
export async function followServiceLogs(engine: Docker, service: string, options: FollowLogsOptions): Promise<void> {
  let stream: NodeJS.ReadableStream;
  try {
    stream = await engine.getService(service).logs(followedLogOptions(options) as Docker.ContainerLogsOptions);
  } catch (err) {
    if (statusCode(err) === 404 || options.signal.aborted) return;
    throw unavailable(err, 'following the service logs');
  }
  await readTimestampedLines(stream, options);
}
