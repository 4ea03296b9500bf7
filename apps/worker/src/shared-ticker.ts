/**
 * One timer per period for everything in this process that polls at that
 * period: each followed app's safety poll (runtime-log-pump.ts) rides the same
 * tick instead of a timer of its own, so a worker following 50 apps wakes once
 * per period for them, not 50 times spread over it. The timer runs while
 * anyone is registered.
 */
const tickers = new Map<number, { timer: NodeJS.Timeout; callbacks: Set<() => void> }>();

/** Calls `callback` every `periodMs` (with every other callback of that period) until the returned function is called. */
export function everySharedTick(periodMs: number, callback: () => void): () => void {
  let ticker = tickers.get(periodMs);
  if (!ticker) {
    const callbacks = new Set<() => void>();
    const timer = setInterval(() => {
      for (const cb of [...callbacks]) cb();
    }, periodMs);
    ticker = { timer, callbacks };
    tickers.set(periodMs, ticker);
  }
  const entry = () => callback();
  ticker.callbacks.add(entry);
  const { callbacks, timer } = ticker;
  return () => {
    callbacks.delete(entry);
    if (callbacks.size === 0 && tickers.get(periodMs)?.timer === timer) {
      clearInterval(timer);
      tickers.delete(periodMs);
    }
  };
}

/** Periods with a running timer (tests). */
export function sharedTickPeriods(): number[] {
  return [...tickers.keys()];
}
