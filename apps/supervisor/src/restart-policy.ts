/** When a supervised process that exited on its own is started again. */
export interface RestartPolicyOptions {
  /** The first restart's delay; each crash in a row doubles it. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** A run at least this long counts as healthy: the next crash starts the back-off over. */
  stableAfterMs: number;
  /** Crashes in a row (each after a run shorter than `stableAfterMs`) after which it is not restarted. */
  maxCrashes: number;
}

export type RestartDecision = { action: 'restart'; delayMs: number; crashes: number } | { action: 'give-up'; crashes: number };

/**
 * Back-off with a limit, as systemd's `Restart=on-failure` with
 * `RestartSec`/`StartLimitBurst` does it: a process that keeps crashing soon
 * after start is given up on (and reported) instead of being restarted in a
 * tight loop; one that ran for a while is restarted at once.
 */
export class RestartPolicy {
  private crashes = 0;

  constructor(private readonly options: RestartPolicyOptions) {}

  /** Called for each unexpected exit, with how long that run lasted. */
  afterExit(ranMs: number): RestartDecision {
    const { initialDelayMs, maxDelayMs, stableAfterMs, maxCrashes } = this.options;
    if (ranMs >= stableAfterMs) this.crashes = 0;
    this.crashes += 1;
    if (this.crashes > maxCrashes) return { action: 'give-up', crashes: this.crashes };
    const delayMs = Math.min(maxDelayMs, initialDelayMs * 2 ** (this.crashes - 1));
    return { action: 'restart', delayMs, crashes: this.crashes };
  }

  /** Starts over (the operator asked for a restart). */
  reset(): void {
    this.crashes = 0;
  }
}
