import type { DeploymentRow } from '@berth/shared/db';
import type { PreviewLimits } from '@berth/shared/preview-limits';
import type { WorkerConfig } from './config.ts';
import type { Logger } from '@berth/shared/logger';
import type { LogSink } from './log-sink.ts';

export interface PreviewSettlingDeps {
  config: Pick<WorkerConfig, 'MAX_PREVIEWS_PER_PROJECT'>;
  previews: Pick<PreviewLimits, 'settle'>;
  /** Hears of each retired preview (its drain timer starts). */
  onRetired?: (deploymentId: string) => void;
  logger: Pick<Logger, 'warn'>;
}

/**
 * A preview went live: the older previews of its branch drain, then stop,
 * and the project's oldest previews beyond MAX_PREVIEWS_PER_PROJECT stop
 * (PreviewLimits). Its deployment log says which. A failure here fails
 * nothing: the preview is live, and the reaper settles every project anyway.
 */
export async function settlePreviews(deps: PreviewSettlingDeps, running: DeploymentRow, log: LogSink): Promise<void> {
  log.system(`preview: ${running.project}'s URL stays where it is (promote it to move it here)`);
  let settled;
  try {
    settled = await deps.previews.settle(running.project, deps.config.MAX_PREVIEWS_PER_PROJECT);
  } catch (err) {
    deps.logger.warn({ err, deploymentId: running.id }, 'settling previews failed; the reaper retries');
    return;
  }
  const { retired, stopped } = settled;
  if (retired.length > 0) log.system(`older previews of this branch drain, then stop: ${retired.join(', ')}`);
  if (stopped.length > 0) {
    log.system(`stopped the oldest previews (at most ${deps.config.MAX_PREVIEWS_PER_PROJECT} per project): ${stopped.join(', ')}`);
  }
  await log.flush();
  for (const id of retired) deps.onRetired?.(id);
}
