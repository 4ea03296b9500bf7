import type { DeploymentLifecycle } from '@berth/shared/deployment-lifecycle';
import { isLive } from '@berth/shared/deployment-state';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import { containerName } from '@berth/shared/docker-names';
import type { LogStore } from '@berth/shared/log-store';
import type { Logger } from '@berth/shared/logger';
import type { TransitionHistory } from '@berth/shared/transition-history';
import type { ContainerRuntime, ContainerState } from './docker/container-runtime.ts';
import type { LogSink } from './log-sink.ts';
import { stampMicros } from './log-timestamps.ts';
import { everySharedTick } from '@berth/shared/shared-ticker';

export interface RuntimeLogPumpDeps {
  runtime: ContainerRuntime;
  store: DeploymentStore;
  logs: LogStore;
  history: TransitionHistory;
  lifecycle: DeploymentLifecycle;
  logger: Logger;
  instance: string;
  /** Runtime lines kept per deployment; older ones are trimmed. */
  retentionLines: number;
  /**
   * How often the container is looked at without being told to (`poke`, on
   * the engine's events): a safety net for an event that never came.
   */
  checkIntervalMs?: number;
}

/** The safety poll when events drive the checks. */
export const defaultCheckIntervalMs = 30_000;

/**
 * One deployment's runtime output, copied into its log while this worker
 * follows it (`RuntimeLogFollower` holds the lease), and its crashes and
 * restarts noticed: crashed, wait, running again.
 */
export class RuntimeLogPump {
  private readonly name: string;
  // Trim in steps while output flows (every tenth of the retention), and once
  // more when it goes quiet, so what is kept settles at the limit.
  private sinceTrim = 0;
  private idleTrim: NodeJS.Timeout | undefined;
  private trimming: Promise<void> | undefined;
  private trimAgain = false;
  private ended = false;
  // The timer, an event and the end of the log stream may all ask: one check
  // at a time, and one more after it when asked meanwhile (it may have looked
  // just before what the event reports).
  private checking: Promise<boolean> | undefined;
  private checkAgain = false;
  // The run (start time) of the container the last check found healthy: while the
  // container is still that run, the safety poll needs no queries.
  private healthyRun: string | undefined;

  constructor(
    private readonly deps: RuntimeLogPumpDeps,
    private readonly deploymentId: string,
    private readonly sink: LogSink,
    private readonly signal: AbortSignal,
  ) {
    this.name = containerName(deps.instance, deploymentId);
  }

  /** Until the container is gone or `signal` aborts; then closes the sink and trims the stored lines. */
  async run(): Promise<void> {
    const { logs, retentionLines } = this.deps;
    const { deploymentId } = this;
    // Docker's log stream survives a restart by the policy, so a crash is not
    // always an end of output: the engine's events poke the pump, and a slow
    // poll covers an event that never came.
    const unwatch = everySharedTick(this.deps.checkIntervalMs ?? defaultCheckIntervalMs, () => this.safetyPoll());
    try {
      // Attaching late (another worker's follower died, or the app crashed before we got here).
      if (!(await this.reconcile())) return;
      while (!this.signal.aborted) {
        await this.copyOutput();
        // The output ended: the container stopped, died, or is being restarted by its policy.
        if (!(await this.reconcile())) return;
      }
    } finally {
      this.ended = true;
      unwatch();
      clearTimeout(this.idleTrim);
      await this.sink.close();
      await this.trimming;
      await logs.trim(deploymentId, 'runtime', retentionLines).catch(() => 0);
    }
  }

  /**
   * Copies the container's output after the newest stored runtime line, until
   * the stream ends. Docker's `since` has one-second resolution, so what it
   * sends again is skipped by timestamp, to the microsecond; of lines that
   * share the newest stored stamp, as many as are stored (a burst can share one).
   */
  private async copyOutput(): Promise<void> {
    const { logs } = this.deps;
    const resume = await logs.resumePoint(this.deploymentId, 'runtime');
    const last = resume?.micros ?? -1n;
    let alreadyStored = resume?.lines ?? 0;
    await this.deps.runtime.followLogs(this.name, {
      sinceSeconds: resume ? Number(resume.micros / 1_000_000n) : 0,
      signal: this.signal,
      onLine: ({ ts, line, source = 'stdout', continues = false }) => {
        const part = { source, continues };
        const micros = stampMicros(ts);
        if (micros < last) return;
        if (micros === last && alreadyStored > 0) {
          alreadyStored -= this.sink.pieces(line, 'runtime', part); // stored as this many rows
          return;
        }
        this.sink.write('runtime', line, ts, part);
        this.lineWritten();
      },
    });
    await this.sink.flush();
  }

  private lineWritten(): void {
    if (++this.sinceTrim >= Math.max(10, Math.floor(this.deps.retentionLines / 10))) this.trim();
    clearTimeout(this.idleTrim);
    this.idleTrim = setTimeout(() => this.trim(), 1000);
  }

  /**
   * Trims stored lines to the retention limit, after what was written is
   * stored. One trim at a time (concurrent deletes of the same rows can
   * deadlock, and the one that loses may be the last); a trim asked for
   * meanwhile runs when it ends. A failed trim is tried again a second later.
   */
  private trim(): void {
    this.sinceTrim = 0;
    if (this.trimming) {
      this.trimAgain = true;
      return;
    }
    const { logs, logger, retentionLines } = this.deps;
    const { deploymentId } = this;
    this.trimming = (async () => {
      do {
        this.trimAgain = false;
        try {
          await this.sink.flush();
          await logs.trim(deploymentId, 'runtime', retentionLines);
        } catch (err) {
          logger.warn({ err, deploymentId }, 'trimming runtime logs failed');
          if (!this.ended) {
            clearTimeout(this.idleTrim);
            this.idleTrim = setTimeout(() => this.trim(), 1000);
          }
        }
      } while (this.trimAgain);
    })().finally(() => (this.trimming = undefined));
  }

  /** The container's state may have changed (an engine event): look at it soon. */
  poke(): void {
    if (this.ended) return;
    this.reconcile().catch((err: unknown) =>
      this.deps.logger.warn({ err, deploymentId: this.deploymentId }, 'checking the container failed'),
    );
  }

  /**
   * The slow poll: one look at the container; the whole check (two queries more)
   * only when it is not the run the last check found healthy (an event was missed).
   */
  private safetyPoll(): void {
    if (this.ended || this.checking) return;
    this.deps.runtime.inspect(this.name).then(
      (state) => {
        if (!(state?.running && state.startedAt === this.healthyRun)) this.poke();
      },
      (err: unknown) => this.deps.logger.warn({ err, deploymentId: this.deploymentId }, 'checking the container failed'),
    );
  }

  private reconcile(): Promise<boolean> {
    if (this.checking) {
      this.checkAgain = true;
      return this.checking;
    }
    this.checking = (async () => {
      let alive: boolean;
      do {
        this.checkAgain = false;
        alive = await this.check();
      } while (alive && this.checkAgain && !this.signal.aborted);
      return alive;
    })().finally(() => (this.checking = undefined));
    return this.checking;
  }

  /**
   * Did the app die since it went live? Its container is not running, or it
   * started again after the deployment's last `running` transition (the
   * restart policy already brought it back). Then: crashed, wait, running.
   * Returns false once the container is gone (stopped or deleted).
   */
  private async check(): Promise<boolean> {
    const { runtime, history, store } = this.deps;
    const state = await runtime.inspect(this.name);
    if (!state) return false;
    const live = (await history.list(this.deploymentId)).filter((t) => t.status === 'running').at(-1);
    const restarted = live !== undefined && Date.parse(state.startedAt) > live.at.getTime();
    const current = (await store.get(this.deploymentId))?.status;
    if (state.running && !restarted && current === 'running') {
      this.healthyRun = state.startedAt;
      return true;
    }
    if (current === undefined || !isLive(current)) return true; // stopped or ended: not ours to judge
    // The reaper may have marked it crashed first; the log says what happened either way.
    if (current === 'running') await this.setStatus('running', 'crashed');
    // Once restarted, Docker reports the new run's state: the old exit code is gone.
    this.sink.system(
      state.running
        ? 'the app stopped and was restarted'
        : `the app stopped (exit code ${state.exitCode}); waiting for it to restart`,
    );
    if (!(await this.waitUntilRunning(state))) return false;
    if (await this.setStatus('crashed', 'running')) this.sink.system('the app is running again');
    return true;
  }

  /** False when the container is gone, or following stops, before it runs again. */
  private async waitUntilRunning(state: ContainerState): Promise<boolean> {
    let current = state;
    while (!current.running) {
      if (this.signal.aborted) return false;
      await new Promise((r) => setTimeout(r, 250));
      const next = await this.deps.runtime.inspect(this.name);
      if (!next) return false;
      current = next;
    }
    return true;
  }

  /** False when the deployment was not in `from`. */
  private async setStatus(from: 'running' | 'crashed', to: 'running' | 'crashed'): Promise<boolean> {
    return (await this.deps.lifecycle.transition(this.deploymentId, [from], to)) !== undefined;
  }
}
