import type { DeploymentRow } from '@berth/shared/db';
import type { PreviewLimits } from '@berth/shared/preview-limits';
import type { WorkerConfig } from './config.ts';
import type { LogSink } from './log-sink.ts';

export interface PreviewSettlingDeps {
  config: Pick<WorkerConfig, 'MAX_PREVIEWS_PER_PROJECT'>;
  previews: Pick<PreviewLimits, 'settle'>;
  /** Hears of each retired preview (its drain timer starts). */
  onRetired?: (deploymentId: string) => void;
}

/**
 * A preview went live: the older previews of its branch drain, then stop,
 * and the project's oldest previews beyond MAX_PREVIEWS_PER_PROJECT stop
 * (PreviewLimits). Its deployment log says which.
 */
export async function settlePreviews(deps: PreviewSettlingDeps, running: DeploymentRow, log: LogSink): Promise<void> {
  log.system(`preview: ${running.project}'s URL stays where it is (promote it to move it here)`);
  const { retired, stopped } = await deps.previews.settle(running.project, deps.config.MAX_PREVIEWS_PER_PROJECT);
  if (retired.length > 0) log.system(`older previews of this branch drain, then stop: ${retired.join(', ')}`);
  if (stopped.length > 0) {
    log.system(`stopped the oldest previews (at most ${deps.config.MAX_PREVIEWS_PER_PROJECT} per project): ${stopped.join(', ')}`);
  }
  await log.flush();
  for (const id of retired) deps.onRetired?.(id);
}
