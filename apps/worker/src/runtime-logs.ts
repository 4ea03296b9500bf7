import { randomUUID } from 'node:crypto';
import type { DeploymentRow } from '@berth/shared/db';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import type { Logger } from '@berth/shared/logger';
import type { Redis } from '@berth/shared/redis';
import { containerName } from '@berth/shared/labels';
import type { ContainerRuntime } from './docker/container-runtime.ts';
import type { LogSink } from './log-sink.ts';

export interface RuntimeLogOptions {
  instance: string;
  /** Runtime lines kept per deployment; older ones are trimmed. */
  retentionLines: number;
  /** How long a follower's claim on a deployment lasts without renewal. */
  leaseMs: number;
  /** How often this worker looks for running deployments nobody follows. */
  discoveryMs: number;
}

const renewScript = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const releaseScript = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Captures running containers' stdout/stderr as `runtime` log lines. Exactly
 * one worker follows a deployment at a time (a Redis lease it keeps renewing);
 * any worker picks up deployments nobody follows (after a worker restart or
 * crash), resuming after the newest stored runtime line.
 */
export class RuntimeLogFollower {
  private readonly token = randomUUID();
  private readonly following = new Map<string, AbortController>();
  private discovery: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly deps: {
      runtime: ContainerRuntime;
      redis: Redis;
      store: DeploymentStore;
      openLog: (deployment: DeploymentRow) => Promise<LogSink>;
      options: RuntimeLogOptions;
      logger: Logger;
    },
  ) {}

  start(): void {
    const tick = () => void this.discover().catch((err: unknown) => this.deps.logger.warn({ err }, 'runtime log discovery failed'));
    tick();
    this.discovery = setInterval(tick, this.deps.options.discoveryMs);
  }

  /** Number of deployments this worker follows now. */
  get count(): number {
    return this.following.size;
  }

  async discover(): Promise<void> {
    const running = await this.deps.runtime.listRunning(this.deps.options.instance);
    const statuses = await this.deps.store.statuses(running.map((c) => c.deploymentId));
    for (const c of running) {
      if (statuses.get(c.deploymentId) === 'running') void this.follow(c.deploymentId);
    }
  }

  /** Follows a deployment's output if no worker does yet; resolves when following ends. */
  async follow(deploymentId: string): Promise<void> {
    if (this.stopped || this.following.has(deploymentId)) return;
    const { redis, options } = this.deps;
    const key = `berth:${options.instance}:runtime-follow:${deploymentId}`;
    const claimed = await redis.set(key, this.token, 'PX', options.leaseMs, 'NX');
    if (claimed !== 'OK') return;
    const controller = new AbortController();
    this.following.set(deploymentId, controller);
    const renew = setInterval(() => {
      redis
        .eval(renewScript, 1, key, this.token, String(options.leaseMs))
        .then((ok) => {
          if (ok !== 1) controller.abort(); // someone else holds it now
        })
        .catch(() => controller.abort());
    }, Math.max(100, Math.floor(options.leaseMs / 3)));
    try {
      await this.pump(deploymentId, controller.signal);
    } catch (err) {
      this.deps.logger.warn({ err, deploymentId }, 'following runtime logs failed; will resume');
    } finally {
      clearInterval(renew);
      this.following.delete(deploymentId);
      await redis.eval(releaseScript, 1, key, this.token).catch(() => {});
    }
  }

  private async pump(deploymentId: string, signal: AbortSignal): Promise<void> {
    const { runtime, store, options, logger } = this.deps;
    const deployment = await store.get(deploymentId);
    if (!deployment) return;
    const sink = await this.deps.openLog(deployment);
    const name = containerName(options.instance, deploymentId);
    // Trim in steps while output flows (stored lines stay under retention + 10%),
    // and once more when it goes quiet, so what is kept settles at the limit.
    let sinceTrim = 0;
    let idleTrim: NodeJS.Timeout | undefined;
    const trim = () => {
      sinceTrim = 0;
      void sink
        .flush()
        .then(() => store.trimLogs(deploymentId, 'runtime', options.retentionLines))
        .catch((err: unknown) => logger.warn({ err, deploymentId }, 'trimming runtime logs failed'));
    };
    try {
      while (!signal.aborted) {
        const last = await store.lastLogTs(deploymentId, 'runtime');
        const lastMs = last?.getTime() ?? 0;
        await runtime.followLogs(name, {
          sinceSeconds: Math.floor(lastMs / 1000),
          signal,
          onLine: ({ ts, line }) => {
            // Docker's `since` has one-second resolution: skip what is already stored.
            if (Date.parse(ts) <= lastMs) return;
            sink.write('runtime', line, ts);
            if (++sinceTrim >= Math.max(10, Math.floor(options.retentionLines / 10))) trim();
            clearTimeout(idleTrim);
            idleTrim = setTimeout(trim, 1000);
          },
        });
        await sink.flush();
        // The output ended: the container stopped (or is restarting). Follow again if it runs.
        const state = await runtime.inspect(name);
        if (!state || (!state.running && !state.restarting)) return;
        await new Promise((r) => setTimeout(r, 500));
      }
    } finally {
      clearTimeout(idleTrim);
      await sink.close();
      await store.trimLogs(deploymentId, 'runtime', options.retentionLines).catch(() => 0);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.discovery);
    for (const controller of this.following.values()) controller.abort();
    const deadline = Date.now() + 5000;
    while (this.following.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }
}
