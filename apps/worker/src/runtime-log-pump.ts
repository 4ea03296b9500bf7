import type { DeploymentLifecycle } from '@berth/shared/deployment-lifecycle';
import { isLive } from '@berth/shared/deployment-state';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import { containerName } from '@berth/shared/docker-names';
import type { LogStore } from '@berth/shared/log-store';
import type { Logger } from '@berth/shared/logger';
import type { TransitionHistory } from '@berth/shared/transition-history';
import type { ContainerRuntime, ContainerState } from './docker/container-runtime.ts';
import type { LogSink } from './log-sink.ts';

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
}

/**
 * One deployment's runtime output, copied into its log while this worker
 * follows it (`RuntimeLogFollower` holds the lease), and its crashes and
 * restarts noticed: crashed, wait, running again.
 */
export class RuntimeLogPump {
  private readonly name: string;
  // Trim in steps while output flows (stored lines stay under retention + 10%),
  // and once more when it goes quiet, so what is kept settles at the limit.
  private sinceTrim = 0;
  private idleTrim: NodeJS.Timeout | undefined;
  // The timer and the end of the log stream may both ask: one check at a time.
  private checking: Promise<boolean> | undefined;

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
    const { logs, logger, retentionLines } = this.deps;
    const { deploymentId } = this;
    // Docker's log stream survives a restart by the policy, so a crash is not
    // always an end of output: look at the container every second as well.
    const watch = setInterval(() => {
      this.reconcile().catch((err: unknown) => logger.warn({ err, deploymentId }, 'checking the container failed'));
    }, 1000);
    try {
      // Attaching late (another worker's follower died, or the app crashed before we got here).
      if (!(await this.reconcile())) return;
      while (!this.signal.aborted) {
        await this.copyOutput();
        // The output ended: the container stopped, died, or is being restarted by its policy.
        if (!(await this.reconcile())) return;
      }
    } finally {
      clearInterval(watch);
      clearTimeout(this.idleTrim);
      await this.sink.close();
      await logs.trim(deploymentId, 'runtime', retentionLines).catch(() => 0);
    }
  }

  /** Copies the container's output after the newest stored runtime line, until the stream ends. */
  private async copyOutput(): Promise<void> {
    const last = await this.deps.logs.lastTs(this.deploymentId, 'runtime');
    const lastMs = last?.getTime() ?? 0;
    await this.deps.runtime.followLogs(this.name, {
      sinceSeconds: Math.floor(lastMs / 1000),
      signal: this.signal,
      onLine: ({ ts, line }) => {
        // Docker's `since` has one-second resolution: skip what is already stored.
        if (Date.parse(ts) <= lastMs) return;
        this.sink.write('runtime', line, ts);
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

  private trim(): void {
    const { logs, logger, retentionLines } = this.deps;
    const { deploymentId } = this;
    this.sinceTrim = 0;
    void this.sink
      .flush()
      .then(() => logs.trim(deploymentId, 'runtime', retentionLines))
      .catch((err: unknown) => logger.warn({ err, deploymentId }, 'trimming runtime logs failed'));
  }

  private reconcile(): Promise<boolean> {
    return (this.checking ??= this.check().finally(() => (this.checking = undefined)));
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
    if (state.running && !restarted && current === 'running') return true;
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
