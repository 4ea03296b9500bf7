import { randomUUID } from 'node:crypto';
import type { DeploymentRow } from '@berth/shared/db';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import type { LogStore } from '@berth/shared/log-store';
import type { TransitionHistory } from '@berth/shared/transition-history';
import type { Logger } from '@berth/shared/logger';
import type { Redis } from '@berth/shared/redis';
import { containerName } from '@berth/shared/docker-names';
import { isLive } from '@berth/shared/deployment-state';
import { runtimeFollowKey } from '@berth/shared/redis-keys';
import type { ContainerRuntime } from './docker/container-runtime.ts';
import type { LogSink } from './log-sink.ts';
import type { DeploymentLifecycle } from '@berth/shared/deployment-lifecycle';

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
      logs: LogStore;
      history: TransitionHistory;
      openLog: (deployment: DeploymentRow) => Promise<LogSink>;
      lifecycle: DeploymentLifecycle;
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
      if (s !== undefined && isLive(s)) void this.follow(c.deploymentId);
    }
  }

  /** Follows a deployment's output if no worker does yet; resolves when following ends. */
  async follow(deploymentId: string): Promise<void> {
    if (this.stopped || this.following.has(deploymentId)) return;
    const { redis, options } = this.deps;
    const key = runtimeFollowKey(options.instance, deploymentId);
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
    const { runtime, store, logs, history, options, logger } = this.deps;
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
        .then(() => logs.trim(deploymentId, 'runtime', options.retentionLines))
        .catch((err: unknown) => logger.warn({ err, deploymentId }, 'trimming runtime logs failed'));
    };
    /**
     * Did the app die since it went live? Its container is not running, or it
     * started again after the deployment's last `running` transition (the
     * restart policy already brought it back). Then: crashed, wait, running.
     * Returns false once the container is gone (stopped or deleted).
     */
    const check = async (): Promise<boolean> => {
      let state = await runtime.inspect(name);
      if (!state) return false;
      const live = (await history.list(deploymentId)).filter((t) => t.status === 'running').at(-1);
      const restarted = live !== undefined && Date.parse(state.startedAt) > live.at.getTime();
      const current = (await store.get(deploymentId))?.status;
      if (state.running && !restarted && current === 'running') return true;
      if (current === undefined || !isLive(current)) return true; // stopped or ended: not ours to judge
      // The reaper may have marked it crashed first; the log says what happened either way.
      if (current === 'running') await this.setStatus(deploymentId, 'running', 'crashed');
      // Once restarted, Docker reports the new run's state: the old exit code is gone.
      sink.system(
        state.running
          ? 'the app stopped and was restarted'
          : `the app stopped (exit code ${state.exitCode}); waiting for it to restart`,
      );
      while (!state.running) {
        if (signal.aborted) return false;
        await new Promise((r) => setTimeout(r, 250));
        state = await runtime.inspect(name);
        if (!state) return false;
      }
      if (await this.setStatus(deploymentId, 'crashed', 'running')) sink.system('the app is running again');
      return true;
    };
    // The timer and the end of the log stream may both ask: one check at a time.
    let checking: Promise<boolean> | undefined;
    const reconcile = () => (checking ??= check().finally(() => (checking = undefined)));
    // Docker's log stream survives a restart by the policy, so a crash is not
    // always an end of output: look at the container every second as well.
    const watch = setInterval(() => {
      reconcile().catch((err: unknown) => logger.warn({ err, deploymentId }, 'checking the container failed'));
    }, 1000);
    try {
      // Attaching late (another worker's follower died, or the app crashed before we got here).
      if (!(await reconcile())) return;
      while (!signal.aborted) {
        const last = await logs.lastTs(deploymentId, 'runtime');
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
        if (!(await reconcile())) return;
      }
    } finally {
      clearInterval(watch);
      clearTimeout(idleTrim);
      await sink.close();
      await logs.trim(deploymentId, 'runtime', options.retentionLines).catch(() => 0);
    }
  }

  /** False when the deployment was not in `from`. */
  private async setStatus(deploymentId: string, from: 'running' | 'crashed', to: 'running' | 'crashed'): Promise<boolean> {
    return (await this.deps.lifecycle.transition(deploymentId, [from], to)) !== undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.discovery);
    for (const controller of this.following.values()) controller.abort();
    const deadline = Date.now() + 5000;
    while (this.following.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }
}
