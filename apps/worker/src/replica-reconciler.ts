import { containerName } from '@berth/shared/docker-names';
import type { Logger } from '@berth/shared/logger';
import type { DesiredReplicas, ReplicaStore } from '@berth/shared/replica-store';
import type { ContainerRuntime, ReplicaState } from './docker/container-runtime.ts';
import { everySharedTick } from '@berth/shared/shared-ticker';

/** What one live deployment needs: nothing, a new count, or nothing we can do (its service is gone: the reaper's case). */
export type ScaleDecision = { action: 'none' } | { action: 'missing' } | { action: 'scale'; from: number; to: number };

/** Compares the stored count with what the engine keeps. Pure. */
export function decideScale(desired: number, actual: ReplicaState | undefined): ScaleDecision {
  if (!actual) return { action: 'missing' };
  if (actual.desired === desired) return { action: 'none' };
  return { action: 'scale', from: actual.desired, to: desired };
}

export interface ReplicaReconcilerDeps {
  store: Pick<ReplicaStore, 'desired' | 'desiredOf'>;
  runtime: Pick<ContainerRuntime, 'replicas' | 'scale'>;
  instance: string;
  logger: Logger;
}

/**
 * Keeps every live deployment's service at its stored replica count,
 * level-triggered: each pass reads the desired counts from Postgres and the
 * actual ones from the engine, and scales what differs. A pass runs at
 * start, every period, and (for one deployment) when the API pokes it after
 * a PATCH; a poke lost, or made while no worker ran, is caught up by the next
 * full pass. Passes run one at a time; several workers running them at once
 * is safe (Swarm's versioned updates, and an equal count is left alone).
 */
export class ReplicaReconciler {
  private chain: Promise<void> = Promise.resolve();
  private stopTicking = () => {};

  constructor(private readonly deps: ReplicaReconcilerDeps) {}

  /** Runs a full pass now and then every `periodMs`. */
  start(periodMs: number): void {
    void this.enqueue(() => this.reconcileAll()); // enqueue logs a failed pass itself
    this.stopTicking = everySharedTick(periodMs, () => void this.enqueue(() => this.reconcileAll()));
  }

  /** A PATCH changed this deployment's count: apply it now (after a pass under way). */
  poke(deploymentId: string): Promise<void> {
    return this.enqueue(async () => {
      const desired = await this.deps.store.desiredOf(deploymentId);
      if (desired) await this.apply(desired);
    });
  }

  /** Stops the timer and waits for the pass under way. */
  async stop(): Promise<void> {
    this.stopTicking();
    await this.chain;
  }

  /** One pass over every live deployment; one that fails is logged and the others go on. */
  async reconcileAll(): Promise<void> {
    for (const d of await this.deps.store.desired()) {
      await this.apply(d).catch((err: unknown) =>
        this.deps.logger.warn({ err, deploymentId: d.id }, 'scaling a deployment failed; the next pass retries'),
      );
    }
  }

  private enqueue(pass: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(pass).catch((err: unknown) => this.deps.logger.warn({ err }, 'replica reconcile failed; the next pass retries'));
    return this.chain;
  }

  private async apply(d: DesiredReplicas): Promise<void> {
    const { runtime, instance, logger } = this.deps;
    const name = containerName(instance, d.id);
    const decision = decideScale(d.replicas, await runtime.replicas(name));
    switch (decision.action) {
      case 'none':
      case 'missing':
        return;
      case 'scale':
        await runtime.scale(name, decision.to);
        logger.info({ deploymentId: d.id, from: decision.from, to: decision.to }, 'scaled a deployment');
        return;
      default: {
        const unknown: never = decision;
        throw new Error(`unknown decision ${String(unknown)}`);
      }
    }
  }
}
