import fs from 'node:fs';
import path from 'node:path';
import type { ProcessStatus } from './process-supervisor.ts';

/** What the supervisor tells `status`, `scale` and `down` about itself (`<state dir>/supervisor.json`). */
export interface SupervisorState {
  pid: number;
  startedAt: string;
  /** The control socket `scale` and `restart` talk to. */
  socket: string;
  processes: ProcessStatus[];
}

export const stateFile = (stateDir: string) => path.join(stateDir, 'supervisor.json');
/** `<pid> <name>` per line, for `scripts/down.sh`: the children to stop if the supervisor itself is gone. */
export const childrenFile = (stateDir: string) => path.join(stateDir, 'children');
export const controlSocket = (stateDir: string) => path.join(stateDir, 'supervisor.sock');

/** Written whole to a temporary file, then renamed: a reader never sees half of it. */
export function writeState(stateDir: string, state: SupervisorState): void {
  const write = (file: string, text: string) => {
    fs.writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
    fs.renameSync(`${file}.tmp`, file);
  };
  write(stateFile(stateDir), `${JSON.stringify(state, null, 2)}\n`);
  const children = state.processes.filter((p) => p.pid !== null).map((p) => `${p.pid} ${p.name}\n`);
  write(childrenFile(stateDir), children.join(''));
}

export function readState(stateDir: string): SupervisorState | undefined {
  try {
    return JSON.parse(fs.readFileSync(stateFile(stateDir), 'utf8')) as SupervisorState;
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid exists (a pid from a file may be stale). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
