import { ConfigError } from './config.ts';
import type { Logger } from './logger.ts';

export type Cleanup = readonly [name: string, run: () => Promise<unknown>];

/**
 * Runs cleanups in order; every one runs even if an earlier one fails, and
 * failures are logged, not thrown.
 */
export async function closeAll(logger: Logger, cleanups: readonly Cleanup[]): Promise<boolean> {
  let ok = true;
  for (const [name, run] of cleanups) {
    try {
      await run();
    } catch (err) {
      ok = false;
      logger.error({ err, step: name }, 'shutdown step failed');
    }
  }
  return ok;
}

/** On SIGTERM/SIGINT, closes everything in order and exits; a second signal exits at once. */
export function runUntilSignal(logger: Logger, cleanups: readonly Cleanup[]): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    void closeAll(logger, cleanups).then((ok) => {
      logger.info('stopped');
      process.exit(ok ? 0 : 1);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/**
 * The whole of a program's `main`: load config (a bad value stops the program
 * with a message naming the variable), start, then run until a signal and
 * close what `start` returned, in order.
 */
export async function runProgram<C extends { LOG_LEVEL: string }>(
  logger: Logger,
  loadConfig: () => C,
  start: (config: C) => Promise<Cleanup[]>,
): Promise<void> {
  try {
    const config = loadConfig();
    logger.level = config.LOG_LEVEL;
    logger.info({ node: process.version }, 'starting');
    runUntilSignal(logger, await start(config));
  } catch (err) {
    if (err instanceof ConfigError) logger.fatal(err.message);
    else logger.fatal({ err }, 'failed to start');
    process.exit(1);
  }
}
