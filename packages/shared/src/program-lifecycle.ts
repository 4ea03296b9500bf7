import { ConfigError } from './config.ts';
import type { Logger } from './logger.ts';

/**
 * A program's process lifecycle: how a composition root opens its parts
 * (composeProgram), how `main` runs it until a signal (runProgram), and how
 * what was opened is closed (closeAll). A deployment's status lifecycle is
 * another thing: deployment-lifecycle.ts.
 */

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
  start: (config: C) => Promise<readonly Cleanup[]>,
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

/** A started program: its cleanups in closing order (for `runProgram`), and `close()` for tests. */
export interface Started {
  readonly cleanups: readonly Cleanup[];
  /** Runs every cleanup (`closeAll`), then throws if any failed, so a test sees it. */
  close(): Promise<void>;
}

/** Registers something a composition root opened, with how to close it. */
export type Opened = (name: string, close: () => Promise<unknown>) => void;

/**
 * How a composition root (`startApi`, `startRouterSync`) starts: `start`
 * registers each thing with `opened` as soon as it exists, and they close in
 * reverse order (last opened, first closed). A start that fails half-way
 * closes what it had opened before rethrowing, so a refused start leaks
 * nothing.
 */
export async function composeProgram<T extends object>(
  logger: Logger,
  start: (opened: Opened) => Promise<T>,
): Promise<T & Started> {
  const cleanups: Cleanup[] = [];
  try {
    const parts = await start((name, close) => void cleanups.unshift([name, close]));
    return {
      ...parts,
      cleanups,
      async close() {
        if (!(await closeAll(logger, cleanups))) throw new Error('some shutdown steps failed (see the log)');
      },
    };
  } catch (err) {
    await closeAll(logger, cleanups);
    throw err;
  }
}
