/**
 * One timer per process for every periodic chore (heartbeats, metrics
 * pushes, safety polls, sweeps). A chore of period P runs on the process's
 * grid: the moments t with t ≡ phase (mod P) on the process's monotonic clock
 * (`performance.now()`: a wall clock set back an hour would hold every chore
 * back an hour), the phase drawn once per process. Chores whose periods divide each other (5 s and
 * 10 s) therefore fall on the same moments and run in one wake-up, instead of
 * a dozen timers each waking an idle process at its own moment (bench:idle);
 * the random phase keeps the processes of one machine from all waking at once.
 */
interface Chore {
  readonly periodMs: number;
  readonly callback: () => void;
  /** Whether this chore alone should keep the process alive (Node's ref/unref). */
  readonly keepsAlive: boolean;
  dueAt: number;
}

/** Chores this close to their moment run with the ones that woke the process (timers fire a little late, never early). */
const sameWakeUpMs = 25;
const phaseMs = Math.floor(Math.random() * 60_000);
const chores = new Set<Chore>();
let timer: NodeJS.Timeout | undefined;
let armedFor = Infinity;

/** The first grid moment of `periodMs` after `now` (ms on the monotonic clock). */
export function nextGridMoment(periodMs: number, now: number, phase = phaseMs): number {
  const since = (((now - phase) % periodMs) + periodMs) % periodMs;
  return now - since + periodMs;
}

/**
 * Calls `callback` every `periodMs` on the process's grid (with every other
 * chore due then) until the returned function is called. `keepsAlive: false`
 * is an unref'd interval: it alone does not keep the process running.
 */
export function everySharedTick(periodMs: number, callback: () => void, options: { keepsAlive?: boolean } = {}): () => void {
  if (!(periodMs > 0)) throw new Error(`a chore's period must be positive, got ${periodMs}`);
  const chore: Chore = { periodMs, callback, keepsAlive: options.keepsAlive ?? true, dueAt: nextGridMoment(periodMs, performance.now()) };
  chores.add(chore);
  arm();
  return () => {
    if (chores.delete(chore)) arm();
  };
}

/** Periods of the chores registered now (tests). */
export function sharedTickPeriods(): number[] {
  return [...new Set([...chores].map((c) => c.periodMs))];
}

function arm(): void {
  let next = Infinity;
  for (const chore of chores) next = Math.min(next, chore.dueAt);
  if (next !== armedFor) {
    clearTimeout(timer);
    timer = next === Infinity ? undefined : setTimeout(runDue, Math.max(0, next - performance.now()));
    armedFor = next;
  }
  if (timer && ![...chores].some((c) => c.keepsAlive)) timer.unref();
  else timer?.ref();
}

function runDue(): void {
  timer = undefined;
  armedFor = Infinity;
  const now = performance.now();
  const failures: unknown[] = [];
  for (const chore of [...chores]) {
    if (chore.dueAt > now + sameWakeUpMs || !chores.has(chore)) continue;
    chore.dueAt = nextGridMoment(chore.periodMs, now + sameWakeUpMs);
    try {
      chore.callback();
    } catch (err) {
      failures.push(err);
    }
  }
  arm();
  // As an interval's callback would throw (uncaught, not swallowed), once the other chores ran and the timer is armed again.
  if (failures.length > 0) throw failures[0];
}
