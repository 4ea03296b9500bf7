import { randomUUID } from 'node:crypto';
import type { DeploymentRow } from '@berth/shared/db';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import type { LogStore } from '@berth/shared/log-store';
import type { TransitionHistory } from '@berth/shared/transition-history';
import type { Logger } from '@berth/shared/logger';
import type { Redis } from '@berth/shared/redis';
import { isLive } from '@berth/shared/deployment-state';
import { containerName } from '@berth/shared/docker-names';
import { runtimeFollowKey } from '@berth/shared/redis-keys';
import type { ContainerEvent, ContainerRuntime, ReplicaProbe, ReplicaReplacement } from './docker/container-runtime.ts';
import { FollowLeases } from './follow-leases.ts';
import type { LogSink, LogSinkOptions } from './log-sink.ts';
import type { RuntimeLogFollowers } from '@berth/shared/runtime-log-followers';
import { ReplicaLiveness, type LivenessOptions } from './replica-liveness.ts';
import { RuntimeLogPump } from './runtime-log-pump.ts';
import { ProcessLogs } from './process-logs.ts';
import { workerTypes } from '@berth/shared/process-types';
import type { DeploymentLifecycle } from '@berth/shared/deployment-lifecycle';
import { everySharedTick } from '@berth/shared/shared-ticker';

export interface RuntimeLogOptions {
  instance: string;
  /** Runtime lines kept per deployment; older ones are trimmed. */
  retentionLines: number;
  /** How long a follower's claim on a deployment lasts without renewal. */
  leaseMs: number;
  /** How often this worker looks for running deployments nobody follows. */
  discoveryMs: number;
  /** Safety poll of each followed container; engine events drive the prompt checks. */
  checkIntervalMs?: number;
  /** Swarm: the followed deployment's copies are probed too, and one that stops answering is replaced. */
  liveness?: LivenessOptions;
}


/**
 * The first line a follower stores when it takes over from one that stopped
 * without letting go (killed, or its lease lost): the seqs that one held
 * unstored are a gap right before it, and the output it held is read again.
 */
export const followerChangedLine = 'following the output again: the worker that followed it stopped';

/**
 * Captures running containers' stdout/stderr as `runtime` log lines. Exactly
 * one worker follows a deployment at a time (a Redis lease it keeps renewing);
 * any worker picks up deployments nobody follows (after a worker restart or
 * crash), resuming after the newest stored runtime line.
 */
export class RuntimeLogFollower {
  private readonly leases: FollowLeases;
  private readonly following = new Map<string, AbortController>();
  private readonly pumps = new Map<string, RuntimeLogPump>();
  private readonly processLogs = new Map<string, ProcessLogs>();
  private readonly events = new AbortController();
  private watching: Promise<void> | undefined;
  private stopDiscovery = () => {};
  private stopped = false;
  /** This worker's name in the leases and the fence rows. */
  private readonly token = randomUUID();

  constructor(
    private readonly deps: {
      runtime: ContainerRuntime;
      redis: Redis;
      store: DeploymentStore;
      logs: LogStore;
      history: TransitionHistory;
      openLog: (deployment: DeploymentRow, follower: LogSinkOptions['follower']) => Promise<LogSink>;
      /** The fence behind the leases (runtime-log-followers.ts). */
      followers: Pick<RuntimeLogFollowers, 'claim' | 'release'>;
      lifecycle: DeploymentLifecycle;
      options: RuntimeLogOptions;
      logger: Logger;
    },
  ) {
    this.leases = new FollowLeases({ redis: deps.redis, instance: deps.options.instance, token: this.token, leaseMs: deps.options.leaseMs });
  }

  start(): void {
    const tick = () => void this.discover().catch((err: unknown) => this.deps.logger.warn({ err }, 'runtime log discovery failed'));
    tick();
    this.stopDiscovery = everySharedTick(this.deps.options.discoveryMs, tick);
    // One event stream per worker, dispatched to the pumps (they no longer poll each second).
    this.watching = this.deps.runtime
      .watchEvents(this.deps.options.instance, this.events.signal, (event) => this.onEvent(event))
      .catch((err: unknown) => this.deps.logger.warn({ err }, 'watching container events failed; pumps fall back to their poll'));
  }

  private onEvent(event: ContainerEvent): void {
    this.pumps.get(event.deploymentId)?.poke();
    if (event.action === 'start') this.processLogs.get(event.deploymentId)?.refresh();
  }

  /** Number of deployments this worker follows now. */
  get count(): number {
    return this.following.size;
  }

  async discover(): Promise<void> {
    const { instance } = this.deps.options;
    const running = await this.deps.runtime.listRunning(instance);
    const statuses = await this.deps.store.statuses(running.map((c) => c.deploymentId));
    const live = running.filter((c) => {
      const s = statuses.get(c.deploymentId);
      return s !== undefined && isLive(s) && !this.following.has(c.deploymentId);
    });
    if (live.length === 0) return;
    // One read of who follows what, not a claim per app every round: only an unheld lease is claimed (still NX).
    const holders = await this.deps.redis.mget(live.map((c) => runtimeFollowKey(instance, c.deploymentId)));
    live.forEach((c, i) => {
      if (holders[i] === null) void this.follow(c.deploymentId);
    });
  }

  /** Follows a deployment's output if no worker does yet; resolves when following ends. */
  async follow(deploymentId: string): Promise<void> {
    if (this.stopped || this.following.has(deploymentId)) return;
    const controller = new AbortController();
    if (!(await this.leases.claim(deploymentId, () => controller.abort()))) return;
    this.following.set(deploymentId, controller);
    try {
      await this.pump(deploymentId, controller);
    } catch (err) {
      this.deps.logger.warn({ err, deploymentId }, 'following runtime logs failed; will resume');
    } finally {
      this.following.delete(deploymentId);
      await this.deps.followers.release(deploymentId, this.token).catch(() => {});
      await this.leases.release(deploymentId);
    }
  }

  private async pump(deploymentId: string, controller: AbortController): Promise<void> {
    const { runtime, store, logs, history, lifecycle, logger, options, followers } = this.deps;
    const { signal } = controller;
    const deployment = await store.get(deploymentId);
    if (!deployment) return;
    // After the lease, the fence: from here no earlier follower stores a line (runtime-log-followers.ts).
    const replaced = await followers.claim(deploymentId, this.token);
    const leaseKey = runtimeFollowKey(options.instance, deploymentId);
    const sink = await this.deps.openLog(deployment, { leaseKey, token: this.token, onReplaced: () => controller.abort() });
    // The one before stopped without letting go: lines it held unstored took seqs it never stored.
    if (replaced !== undefined && replaced !== this.token) sink.system(followerChangedLine);
    const deps = { runtime, store, logs, history, lifecycle, logger, ...options };
    const pump = new RuntimeLogPump(deps, deploymentId, sink, signal);
    this.pumps.set(deploymentId, pump);
    const watch = new AbortController();
    const watching = this.watchLiveness(deployment, sink, AbortSignal.any([signal, watch.signal]));
    if (workerTypes(deployment.processes).length > 0) {
      const processLogs = new ProcessLogs({ runtime, logs, logger, instance: options.instance }, deploymentId, sink, AbortSignal.any([signal, watch.signal]));
      this.processLogs.set(deploymentId, processLogs);
      processLogs.refresh();
    }
    try {
      await pump.run();
    } finally {
      watch.abort();
      await watching;
      this.pumps.delete(deploymentId);
      this.processLogs.delete(deploymentId);
    }
  }

  /** The liveness watch of a followed deployment (replica-liveness.ts), while this worker follows it. */
  private async watchLiveness(deployment: DeploymentRow, sink: LogSink, signal: AbortSignal): Promise<void> {
    const { runtime, logger, options } = this.deps;
    const liveness = options.liveness;
    if (!liveness) return;
    const target = { deploymentId: deployment.id, name: containerName(options.instance, deployment.id), port: deployment.port, path: deployment.health_path };
    const onReplaced = (probe: ReplicaProbe, outcome: ReplicaReplacement) => {
      if (outcome === 'gone') return;
      sink.system(
        `replica ${probe.id.slice(0, 12)} did not answer ${target.path} ${liveness.failures} times in a row; ` +
          (outcome === 'killed' ? 'it was stopped and Swarm starts a new one' : "Swarm replaces the service's tasks one by one"),
      );
    };
    await new ReplicaLiveness({ runtime, logger, options: liveness, onReplaced }, target).run(signal);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopDiscovery();
    this.events.abort();
    await this.watching;
    for (const controller of this.following.values()) controller.abort();
    const deadline = Date.now() + 5000;
    while (this.following.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }
}
