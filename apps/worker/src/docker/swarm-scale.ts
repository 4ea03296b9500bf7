import type Docker from 'dockerode';
import { BerthError } from '@berth/shared/errors';
import type { ReplicaState } from './container-runtime.ts';
import { statusCode, unavailable } from './docker-errors.ts';

/** The fields of a service Berth reads to scale or update it. */
interface ServiceInfo {
  Version?: { Index?: number };
  Spec?: { Mode?: { Replicated?: { Replicas?: number } }; TaskTemplate?: Record<string, unknown> } & Record<string, unknown>;
}

/** A task as far as counting running copies goes. */
interface TaskState {
  DesiredState?: string;
  Status?: { State?: string };
}

/** Updates that lost a race with another writer of the same service (Swarm's optimistic concurrency). */
const conflictAttempts = 5;

function outOfSequence(err: unknown): boolean {
  return statusCode(err) === 409 || (err instanceof Error && /out of sequence/i.test(err.message));
}

async function inspectService(engine: Docker, name: string): Promise<ServiceInfo | undefined> {
  try {
    return (await engine.getService(name).inspect()) as ServiceInfo;
  } catch (err) {
    if (statusCode(err) === 404) return undefined;
    throw unavailable(err, 'inspecting the service');
  }
}

/** How many tasks the service keeps (its spec) and how many of them run now; undefined when it is gone. */
export async function serviceReplicas(engine: Docker, name: string): Promise<ReplicaState | undefined> {
  const service = await inspectService(engine, name);
  if (!service) return undefined;
  let tasks: TaskState[];
  try {
    tasks = (await engine.listTasks({ filters: { service: [name], 'desired-state': ['running'] } })) as TaskState[];
  } catch (err) {
    throw unavailable(err, 'listing the service tasks');
  }
  return {
    desired: service.Spec?.Mode?.Replicated?.Replicas ?? 0,
    running: tasks.filter((t) => t.Status?.State === 'running').length,
  };
}

/**
 * Sets the service's replica count, changing nothing else in its spec. Only
 * the count changes, so Swarm starts or stops tasks; the running ones are not
 * replaced. A count already right is left alone.
 */
export function scaleService(engine: Docker, name: string, replicas: number): Promise<void> {
  return updateService(engine, name, `scaling service ${name}`, (spec) =>
    spec.Mode?.Replicated?.Replicas === replicas ? undefined : { ...spec, Mode: { Replicated: { Replicas: replicas } } },
  );
}

/**
 * Makes Swarm replace every task of the service (ForceUpdate, the spec's
 * counter of forced updates, goes up by one): one at a time, each new task
 * started before the old one stops (the spec's UpdateConfig).
 */
export function forceServiceUpdate(engine: Docker, name: string): Promise<void> {
  return updateService(engine, name, `replacing the tasks of service ${name}`, (spec) => {
    const template = (spec.TaskTemplate ?? {}) as { ForceUpdate?: number };
    return { ...spec, TaskTemplate: { ...template, ForceUpdate: (template.ForceUpdate ?? 0) + 1 } };
  });
}

type Spec = NonNullable<ServiceInfo['Spec']>;

/**
 * Writes `change(spec)` over the service's spec (undefined: nothing to do).
 * The update names the version it read (Swarm refuses a stale one: another
 * worker or an operator changed the service meanwhile); on that conflict it
 * reads again and retries. NOT_FOUND when the service is gone.
 */
async function updateService(engine: Docker, name: string, what: string, change: (spec: Spec) => Spec | undefined): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const service = await inspectService(engine, name);
    if (!service?.Spec) throw new BerthError('NOT_FOUND', `service ${name} does not exist`);
    const spec = change(service.Spec);
    if (!spec) return;
    try {
      // _query/_body: docker-modem would otherwise send every option in the query string and the body alike.
      await engine.getService(name).update({ _query: { version: service.Version?.Index ?? 0 }, _body: spec });
      return;
    } catch (err) {
      if (statusCode(err) === 404) throw new BerthError('NOT_FOUND', `service ${name} does not exist`);
      if (outOfSequence(err) && attempt < conflictAttempts) continue;
      throw unavailable(err, what);
    }
  }
}
