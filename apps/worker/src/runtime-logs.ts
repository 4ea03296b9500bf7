import { randomUUID } from 'node:crypto';
import type { DeploymentRow } from '@berth/shared/db';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import type { Logger } from '@berth/shared/logger';
import type { Redis } from '@berth/shared/redis';
import { containerName } from '@berth/shared/labels';
import type { ContainerRuntime } from './docker/container-runtime.ts';
import type { LogSink } from './log-sink.ts';
import type { StatusPublisher } from '@berth/shared/status-publisher';

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
      status: StatusPublisher;
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
      const s = statuses.get(c.deploymentId);
      if (s === 'running' || s === 'crashed') void this.follow(c.deploymentId);
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
    let restarts = (await runtime.inspect(name))?.restartCount ?? 0;
    // Discovered after a crash (the container already runs again): say so.
    if (deployment.status === 'crashed' && (await this.setStatus(deploymentId, 'crashed', 'running'))) {
      sink.system('the app is running again');
    }
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
        // The output ended: the container stopped, died, or is being restarted by its policy.
        const state = await runtime.inspect(name);
        if (!state) return; // removed: stopped or deleted
        if (!state.running || state.restartCount !== restarts) {
          await this.setStatus(deploymentId, 'running', 'crashed');
          sink.system(`the app exited (code ${state.exitCode}); ${state.restarting || state.running ? 'restarting it' : 'it is not running'}`);
          await sink.flush();
          // Wait for the restart policy to bring it back (or for it to be removed).
          for (;;) {
            if (signal.aborted) return;
            const now = await runtime.inspect(name);
            if (!now) return;
            if (now.running) {
              restarts = now.restartCount;
              break;
            }
            await new Promise((r) => setTimeout(r, 250));
          }
        }
        if (await this.setStatus(deploymentId, 'crashed', 'running')) {
          sink.system('the app is running again');
        }
      }
    } finally {
      clearTimeout(idleTrim);
      await sink.close();
      await store.trimLogs(deploymentId, 'runtime', options.retentionLines).catch(() => 0);
    }
  }

  /** Compare-and-set plus announcement; false when the deployment was not in `from`. */
  private async setStatus(deploymentId: string, from: 'running' | 'crashed', to: 'running' | 'crashed'): Promise<boolean> {
    const row = await this.deps.store.transition(deploymentId, [from], to, {});
    if (row) await this.deps.status.published(row);
    return row !== undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.discovery);
    for (const controller of this.following.values()) controller.abort();
    const deadline = Date.now() + 5000;
    while (this.following.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }
}
