import type Docker from 'dockerode';
import { BerthError } from '@berth/shared/errors';
import { statusCode, unavailable } from './docker-errors.ts';
import { everyNodeRefused, hasExited, isRunning, isStarting, listTasks, taskAddress } from './swarm-tasks.ts';

/** The deployment's own overlay; one left by an earlier attempt of the same deployment is reused. */
export async function createServiceNetwork(engine: Docker, name: string, owner: Record<string, string>): Promise<void> {
  try {
    await engine.createNetwork({ Name: name, Driver: 'overlay', Attachable: true, CheckDuplicate: true, Labels: owner });
  } catch (err) {
    if (statusCode(err) !== 409) throw unavailable(err, `creating the network ${name}`);
  }
}

/** Creates the service (its spec from swarm-service-spec.ts) sending `auth`; its id. A refused spec is the app's failure (APP_EXITED). */
export async function createService(engine: Docker, auth: Record<string, string>, spec: unknown): Promise<string> {
  try {
    const created = await engine.createService(auth as Docker.AuthConfig, spec as Docker.CreateServiceOptions);
    return (created as unknown as { id: string }).id;
  } catch (err) {
    const code = statusCode(err);
    if (code !== undefined && code >= 400 && code < 500) {
      throw new BerthError('APP_EXITED', `the service could not be created: ${(err as Error).message}`, { cause: err });
    }
    throw unavailable(err, 'creating the service');
  }
}

/**
 * Waits until a task's container started (its address on `network`, then) or a task
 * ended (''; the caller inspects and reports the exit with its output). A
 * task refused by every node (no image, a bad pull) ends the wait with its reason.
 */
export async function firstTaskStarted(engine: Docker, service: string, network: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const tasks = await listTasks(engine, service);
    const started = tasks.find((t) => isRunning(t) || isStarting(t));
    if (started) return taskAddress(started, network) ?? '';
    // Rejected: no container ever ran there (the image could not be pulled, ...); Swarm says why. While
    // a node that has not refused it is left, Swarm places the task again (a node that cannot reach
    // the registry must not fail a deploy the others can run); once every node refused it, that is the answer.
    const rejected = tasks.filter((t) => t.Status?.State === 'rejected');
    if (rejected.length > 0 && (await everyNodeRefused(engine, rejected))) {
      const reasons = [...new Set(rejected.map((t) => t.Status?.Err ?? 'rejected by Swarm'))].join('; ');
      throw new BerthError('APP_EXITED', `no task of ${service} could start: ${reasons}`);
    }
    if (tasks.some(hasExited)) return '';
    await new Promise((r) => setTimeout(r, 100));
  }
  const reason = (await listTasks(engine, service)).map((t) => t.Status?.Err).find(Boolean);
  throw new BerthError('HEALTHCHECK_TIMEOUT', `no task of ${service} started within ${timeoutMs} ms${reason ? `: ${reason}` : ''}`);
}
