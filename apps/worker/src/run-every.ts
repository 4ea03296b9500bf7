import type { Logger } from '@berth/shared/logger';
import type { Opened } from '@berth/shared/program-lifecycle';
import { everySharedTick } from '@berth/shared/shared-ticker';

/**
 * Runs `work` now and every `intervalMs`, never two at once (a tick waits for the run before it),
 * a failure logged and tried again next time; closing (`what`) waits for a run under way.
 */
export function runEvery(what: string, intervalMs: number, work: () => Promise<void>, { opened, logger }: { opened: Opened; logger: Logger }): void {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = work().catch((err: unknown) => logger.warn({ err }, `the ${what} failed; will retry`));
  };
  tick();
  const stopTicking = everySharedTick(intervalMs, () => {
    if (!stopped) void running.then(tick);
  });
  opened(what, async () => {
    stopped = true;
    stopTicking();
    await running;
  });
}
