import type { Logger } from '@berth/shared/logger';
import type { Opened } from '@berth/shared/program-lifecycle';
import { everySharedTick } from '@berth/shared/shared-ticker';

/**
 * Runs `work` now and every `intervalMs` (on the process's chore timer), never two at once: a tick
 * that comes while a run is under way is skipped (the next comes a period later). A failure is logged
 * and tried again next time. Closing (`what`) starts no run and waits for the one under way.
 */
export function runEvery(what: string, intervalMs: number, work: () => Promise<void>, { opened, logger }: { opened: Opened; logger: Logger }): void {
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  let stopped = false;
  const tick = () => {
    if (stopped || busy) return;
    busy = true;
    running = work()
      .catch((err: unknown) => logger.warn({ err }, `the ${what} failed; will retry`))
      .finally(() => (busy = false));
  };
  tick();
  const stopTicking = everySharedTick(intervalMs, tick);
  opened(what, async () => {
    stopped = true;
    stopTicking();
    await running;
  });
}
