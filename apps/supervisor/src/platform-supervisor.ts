import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';
import type { Cleanup } from '@berth/shared/program-lifecycle';
import type { Logger } from '@berth/shared/logger';
import type { SupervisorConfig } from './config.ts';
import { serveControl, type ControlRequest } from './control-socket.ts';
import type { LogTee } from './log-tee.ts';
import { ProcessSupervisor } from './process-supervisor.ts';
import { RotatingLog } from './rotating-log.ts';
import { platformPrograms, workerProgram, type ProgramsContext } from './platform-programs.ts';
import { controlSocket, writeState } from './state-file.ts';

/** The repository's root: the same three levels up from src/ and from dist/. */
const root = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * What `npm run up` runs: Berth's processes under one `ProcessSupervisor`,
 * its state in `<state dir>/supervisor.json` after every change, and a
 * control socket for `scale` and `restart`. Returns the cleanups, in order:
 * stop taking requests, stop the processes (Caddy last), final state.
 */
export function superviseThePlatform(
  config: SupervisorConfig,
  env: Record<string, string | undefined>,
  logger: Logger,
  output: LogTee,
): Cleanup[] {
  const stateDir = config.BERTH_STATE_DIR;
  const logDir = path.join(stateDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true, mode: 0o700 });
  const ownLog = new RotatingLog(path.join(logDir, 'supervisor.log'), { maxBytes: config.BERTH_LOG_MAX_BYTES, files: config.BERTH_LOG_FILES });
  output.add(ownLog);
  const socket = controlSocket(stateDir);
  const startedAt = new Date().toISOString();
  const saveState = () => {
    try {
      writeState(stateDir, { pid: process.pid, startedAt, socket, processes: supervisor.list() });
    } catch (err) {
      logger.warn({ err }, 'could not write the state file; status and down may be out of date');
    }
  };
  const supervisor: ProcessSupervisor = new ProcessSupervisor({
    logDir,
    log: { maxBytes: config.BERTH_LOG_MAX_BYTES, files: config.BERTH_LOG_FILES },
    restart: {
      initialDelayMs: config.BERTH_RESTART_DELAY_MS,
      maxDelayMs: config.BERTH_RESTART_MAX_DELAY_MS,
      stableAfterMs: config.BERTH_STABLE_AFTER_MS,
      maxCrashes: config.BERTH_MAX_CRASHES,
    },
    stopGraceMs: config.BERTH_STOP_GRACE_MS,
    logger,
    onChange: saveState,
  });
  const ctx: ProgramsContext = { root, node: process.execPath, env, caddyHttpPort: config.CADDY_HTTP_PORT };
  for (const spec of platformPrograms(ctx, { workers: config.BERTH_WORKERS, caddy: config.BERTH_SUPERVISE_CADDY })) {
    supervisor.start(spec);
  }

  const server = serveControl(socket, controlHandler(supervisor, ctx, config, logger));
  return [
    ['control socket', () => new Promise<void>((resolve) => server.close(() => resolve()))],
    ['processes', () => supervisor.stopAll(['caddy'])],
    ['state', async () => saveState()],
  ];
}

/** What the control socket does with `scale` and `restart`: one request at a time, so a scale and a restart never interleave. */
function controlHandler(
  supervisor: ProcessSupervisor,
  ctx: ProgramsContext,
  config: SupervisorConfig,
  logger: Logger,
): (request: ControlRequest) => Promise<string> {
  const handle = async (request: ControlRequest): Promise<string> => {
    switch (request.cmd) {
      case 'scale':
        return scaleWorkers(supervisor, ctx, request.workers, logger);
      case 'restart':
        return restartInTurn(supervisor, request.target, config.BERTH_ROLLING_PAUSE_MS);
      default:
        return request satisfies never;
    }
  };
  let queue: Promise<unknown> = Promise.resolve();
  return (request) => {
    const done = queue.then(() => handle(request));
    queue = done.catch(() => {});
    return done;
  };
}

/** Starts workers up to `n` (named on from the highest), or stops the highest-numbered ones gracefully. */
async function scaleWorkers(supervisor: ProcessSupervisor, ctx: ProgramsContext, n: number, logger: Logger): Promise<string> {
  const numbers = supervisor.names('worker').map((name) => Number(name.slice('worker-'.length))).sort((a, b) => a - b);
  logger.info({ from: numbers.length, to: n }, 'scaling workers');
  for (let next = (numbers.at(-1) ?? 0) + 1, have = numbers.length; have < n; have++, next++) {
    supervisor.start(workerProgram(ctx, next));
  }
  // The running jobs of a worker that stops are finished within its grace period or handed back.
  await Promise.all(numbers.slice(n).map((k) => supervisor.remove(`worker-${k}`)));
  return `workers: ${supervisor.names('worker').join(', ') || 'none'}`;
}

/** Restarts each matching process in turn, waiting `pauseMs` after each start, so a group keeps serving. */
async function restartInTurn(supervisor: ProcessSupervisor, target: string, pauseMs: number): Promise<string> {
  const names =
    target === 'all' ? supervisor.names() : supervisor.names(target).length > 0 ? supervisor.names(target) : supervisor.names().filter((n) => n === target);
  if (names.length === 0) throw new Error(`nothing named ${target}; try one of: all, ${supervisor.names().join(', ')}`);
  for (const [i, name] of names.entries()) {
    await supervisor.restart(name);
    if (i < names.length - 1) await new Promise((r) => setTimeout(r, pauseMs));
  }
  return `restarted ${names.join(', ')}`;
}
