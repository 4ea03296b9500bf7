import type { Db } from '@berth/shared/db';
import { LogChunker } from '@berth/shared/log-search/log-chunker';
import type { Logger } from '@berth/shared/logger';
import type { Opened } from '@berth/shared/program-lifecycle';
import type { WorkerConfig } from './config.ts';
import { everySharedTick } from '@berth/shared/shared-ticker';

/**
 * Lines younger than this wait for the next pass (two batches of one deployment may
 * commit out of order); a deployment's last lines short of a chunk are chunked once it
 * has been quiet for a minute; deployments that ended over an hour ago are done.
 */
const timing = { settleMs: 10_000, quietMs: 60_000, activeWithinMs: 3600_000 };

/** Makes log search's chunks every LOG_INDEX_INTERVAL_MS (one worker at a time, by an advisory lock). */
export function startLogIndexer(config: WorkerConfig, db: Db, logger: Logger, opened: Opened): void {
  const chunker = new LogChunker(db, { chunkLines: config.LOG_INDEX_CHUNK_LINES, ...timing });
  let running: Promise<void> = Promise.resolve();
  const stopTicking = everySharedTick(config.LOG_INDEX_INTERVAL_MS, () => {
    running = chunker.run().then(
      (pass) => {
        if (pass.chunks > 0) logger.debug(pass, 'log lines chunked for search');
      },
      (err: unknown) => logger.warn({ err }, 'chunking log lines for search failed; will try again'),
    );
  });
  opened('log indexer', async () => {
    stopTicking();
    await running;
  });
}
