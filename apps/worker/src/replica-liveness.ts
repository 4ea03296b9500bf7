import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '@berth/shared/logger';
import type { ContainerRuntime, ReplicaProbe, ReplicaReplacement } from './docker/container-runtime.ts';

export interface LivenessOptions {
  /** How often each running copy is probed. */
  intervalMs: number;
  /** Unanswered probes in a row after which a copy is replaced. */
  failures: number;
  /** A copy that has not answered yet gets this long from its start before its misses count (the app may be booting). */
  startGraceMs: number;
}

/** What the watch remembers of one deployment's copies between passes. */
export interface LivenessState {
  /** Unanswered probes in a row, per copy. */
  misses: Map<string, number>;
  /** Copies that answered at least once (their start is over). */
  answered: Set<string>;
  /** Copies already replaced: never replaced twice (a forced service update takes a while). */
  replaced: Set<string>;
}

export function newLivenessState(): LivenessState {
  return { misses: new Map(), answered: new Set(), replaced: new Set() };
}

/**
 * Which copies to replace after one pass of probes: those that missed
 * `failures` probes in a row, once past their start (answered before, or
 * running longer than the grace). Pure but for `state`, which it updates;
 * copies no longer running are forgotten.
 */
export function judgeReplicas(probes: readonly ReplicaProbe[], state: LivenessState, options: LivenessOptions, now: number): ReplicaProbe[] {
  const present = new Set(probes.map((p) => p.id));
  for (const seen of [state.misses, state.answered, state.replaced]) {
    for (const id of seen.keys()) if (!present.has(id)) seen.delete(id);
  }
  const replace: ReplicaProbe[] = [];
  for (const probe of probes) {
    if (state.replaced.has(probe.id)) continue;
    if (probe.answered) {
      state.answered.add(probe.id);
      state.misses.delete(probe.id);
      continue;
    }
    const booting = !state.answered.has(probe.id) && now - Date.parse(probe.startedAt) < options.startGraceMs;
    if (booting) continue;
    const misses = (state.misses.get(probe.id) ?? 0) + 1;
    state.misses.set(probe.id, misses);
    if (misses >= options.failures) replace.push(probe);
  }
  return replace;
}

export interface ReplicaLivenessDeps {
  runtime: Pick<ContainerRuntime, 'probeReplicas' | 'replaceReplica'>;
  logger: Logger;
  options: LivenessOptions;
  /** Told of each copy replaced (the deployment's log says so). */
  onReplaced: (probe: ReplicaProbe, outcome: ReplicaReplacement) => void;
}

/**
 * The liveness watch of one live deployment: every `intervalMs` each running
 * copy is probed from outside (swarm: through the worker's prober, so the
 * image needs nothing inside it), and a copy that stops answering is
 * replaced. The worker that follows the deployment's runtime logs runs it
 * (runtime-logs.ts), so exactly one worker watches each deployment. A copy
 * that exits is not this watch's business: the engine restarts it and the
 * log pump reports the crash.
 */
export class ReplicaLiveness {
  private readonly state = newLivenessState();

  constructor(
    private readonly deps: ReplicaLivenessDeps,
    private readonly target: { deploymentId: string; name: string; port: number; path: string },
  ) {}

  /** Probes every interval until `signal` aborts; a failed pass is logged and the next one tries again. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await delay(this.deps.options.intervalMs, undefined, { signal }).catch(() => {});
      if (signal.aborted) return;
      await this.pass().catch((err: unknown) =>
        this.deps.logger.warn({ err, deploymentId: this.target.deploymentId }, 'probing the replicas failed; the next pass retries'),
      );
    }
  }

  /** One round of probes, and the replacements it calls for. */
  async pass(now = Date.now()): Promise<void> {
    const { runtime, options, onReplaced } = this.deps;
    const { name, port, path } = this.target;
    const probes = await runtime.probeReplicas({ name, port, path });
    for (const probe of judgeReplicas(probes, this.state, options, now)) {
      const outcome = await runtime.replaceReplica(name, probe.id);
      this.state.replaced.add(probe.id);
      this.deps.logger.info({ deploymentId: this.target.deploymentId, replica: probe.id, outcome }, 'replaced a replica that stopped answering');
      onReplaced(probe, outcome);
    }
  }
}
