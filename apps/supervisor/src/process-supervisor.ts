import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Logger } from '@berth/shared/logger';
import { RestartPolicy, type RestartPolicyOptions } from './restart-policy.ts';
import { RotatingLog, type RotatingLogOptions } from './rotating-log.ts';

/** A process to keep running. */
export interface ProcessSpec {
  /** Unique; names its log file (`<name>.log`) and its log lines. */
  name: string;
  /** What `npm run restart -- <group>` restarts together (api, worker, router-sync, caddy). */
  group: string;
  command: string;
  args: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
}

export type ProcessState = 'running' | 'backoff' | 'failed' | 'stopping' | 'stopped';

/** What `npm run status` shows of one process. */
export interface ProcessStatus {
  name: string;
  group: string;
  state: ProcessState;
  pid: number | null;
  /** When the current run began (ISO). */
  startedAt: string | null;
  /** Restarts after unexpected exits since the supervisor started it. */
  restarts: number;
  lastExit: { code: number | null; signal: string | null; at: string } | null;
}

export interface SupervisorOptions {
  logDir: string;
  log: RotatingLogOptions;
  restart: RestartPolicyOptions;
  /** After SIGTERM, how long a process may take to exit before SIGKILL. */
  stopGraceMs: number;
  logger: Logger;
  /** Called after every change of any process's state (the state file is written from it). */
  onChange: () => void;
}

interface Entry {
  spec: ProcessSpec;
  log: RotatingLog;
  policy: RestartPolicy;
  status: ProcessStatus;
  child: ChildProcess | undefined;
  exited: Promise<void>;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Keeps child processes running, the way an init system would (and only
 * where none is used: under systemd the units do this job). A process that
 * exits when nobody asked it to is started again after a back-off, and the
 * exit is logged with its code or signal; one that keeps crashing right after
 * start is given up on and reported as `failed`. Each child's stdout and
 * stderr go to its own rotating log. Stopping is graceful: SIGTERM, the grace
 * period, then SIGKILL.
 */
export class ProcessSupervisor {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: SupervisorOptions) {}

  start(spec: ProcessSpec): void {
    if (this.entries.has(spec.name)) throw new Error(`${spec.name} is already supervised`);
    const entry: Entry = {
      spec,
      log: new RotatingLog(path.join(this.options.logDir, `${spec.name}.log`), this.options.log),
      policy: new RestartPolicy(this.options.restart),
      status: { name: spec.name, group: spec.group, state: 'stopped', pid: null, startedAt: null, restarts: 0, lastExit: null },
      child: undefined,
      exited: Promise.resolve(),
      timer: undefined,
    };
    this.entries.set(spec.name, entry);
    this.spawn(entry);
  }

  list(): ProcessStatus[] {
    return [...this.entries.values()].map((e) => ({ ...e.status }));
  }

  names(group?: string): string[] {
    return [...this.entries.values()].filter((e) => group === undefined || e.spec.group === group).map((e) => e.spec.name);
  }

  /** Stops it gracefully and forgets it (scaling down). */
  async remove(name: string): Promise<void> {
    const entry = this.entries.get(name);
    if (!entry) return;
    await this.stopEntry(entry);
    entry.log.close();
    this.entries.delete(name);
    this.options.onChange();
  }

  /** Stops it gracefully and starts it again, with a fresh back-off (an upgrade, or after it was given up on). */
  async restart(name: string): Promise<void> {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`no process named ${name}`);
    await this.stopEntry(entry);
    entry.policy.reset();
    this.options.logger.info({ process: name }, 'restarting on request');
    this.spawn(entry);
  }

  /** Stops every process at once, gracefully; those in `last` only after the others are gone. */
  async stopAll(last: readonly string[] = []): Promise<void> {
    const all = [...this.entries.values()];
    await Promise.all(all.filter((e) => !last.includes(e.spec.group)).map((e) => this.stopEntry(e)));
    await Promise.all(all.filter((e) => last.includes(e.spec.group)).map((e) => this.stopEntry(e)));
    for (const e of all) e.log.close();
    this.entries.clear();
  }

  private spawn(entry: Entry): void {
    const { spec, status, log } = entry;
    const { logger } = this.options;
    const startedAt = Date.now();
    // Its own process group: a Ctrl-C at the terminal reaches the supervisor, which stops the children in order.
    const child = spawn(spec.command, [...spec.args], { env: spec.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    entry.child = child;
    child.stdout!.on('data', (d: Buffer) => log.write(d));
    child.stderr!.on('data', (d: Buffer) => log.write(d));
    Object.assign(status, { state: 'running', pid: child.pid ?? null, startedAt: new Date(startedAt).toISOString() });
    logger.info({ process: spec.name, childPid: child.pid }, 'process started');
    entry.exited = new Promise<void>((resolve) => {
      let done = false;
      const exited = (code: number | null, signal: NodeJS.Signals | null) => {
        if (done) return;
        done = true;
        entry.child = undefined;
        status.pid = null;
        status.lastExit = { code, signal, at: new Date().toISOString() };
        if (status.state === 'stopping') status.state = 'stopped';
        else this.exitedUnexpectedly(entry, code, signal, Date.now() - startedAt);
        this.options.onChange();
        resolve();
      };
      child.on('exit', exited);
      // A command that cannot be started at all (missing binary) gives no exit event.
      child.on('error', (err) => {
        logger.error({ process: spec.name, err }, 'process could not be started');
        exited(null, null);
      });
    });
    this.options.onChange();
  }

  private exitedUnexpectedly(entry: Entry, code: number | null, signal: NodeJS.Signals | null, ranMs: number): void {
    const { logger } = this.options;
    const { name } = entry.spec;
    const decision = entry.policy.afterExit(ranMs);
    if (decision.action === 'give-up') {
      entry.status.state = 'failed';
      logger.error(
        { process: name, code, signal, ranMs, crashes: decision.crashes },
        `${name} keeps crashing; not restarting it (see its log; \`npm run restart -- ${name}\` tries again)`,
      );
      return;
    }
    entry.status.state = 'backoff';
    logger.warn({ process: name, code, signal, ranMs, restartInMs: decision.delayMs }, `${name} exited unexpectedly; restarting`);
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      entry.status.restarts += 1;
      this.spawn(entry);
    }, decision.delayMs);
  }

  private async stopEntry(entry: Entry): Promise<void> {
    clearTimeout(entry.timer);
    entry.timer = undefined;
    const child = entry.child;
    if (!child) {
      entry.status.state = 'stopped';
      return;
    }
    entry.status.state = 'stopping';
    this.options.onChange();
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<boolean>((r) => (timer = setTimeout(() => r(true), this.options.stopGraceMs)));
    if (await Promise.race([entry.exited.then(() => false), graceOver])) {
      this.options.logger.warn({ process: entry.spec.name, childPid: child.pid }, 'grace period over; killing it');
      child.kill('SIGKILL');
    }
    clearTimeout(timer);
    await entry.exited;
  }
}
