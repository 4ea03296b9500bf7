import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from './ports.ts';
import { docker } from './stack.ts';

const stateDir = process.env.BERTH_STATE_DIR ?? path.resolve('.berth');
/** Where scripts/lib/services.sh records the pid of the dockerd it started. */
export const dockerdPidFile = path.join(stateDir, 'dockerd.pid');

/** The arguments scripts/lib/dockerd.sh started it with (one per line; none recorded by an older one). */
function dockerdArgs(): string[] {
  const file = path.join(stateDir, 'dockerd.args');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

/** True when the project's own scripts started this dockerd (so a test may restart it). */
export function ownDockerd(): boolean {
  if (!existsSync(dockerdPidFile)) return false;
  const pid = Number(readFileSync(dockerdPidFile, 'utf8'));
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops the dockerd we started (by its PID) and starts it again the same way. */
export async function restartDockerd(): Promise<void> {
  const pid = Number(readFileSync(dockerdPidFile, 'utf8'));
  process.kill(pid, 'SIGTERM');
  await waitFor('dockerd to stop', () => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  }, 60_000, 100);
  const log = openSync(path.join(stateDir, 'dockerd.log'), 'a');
  const child = spawn('dockerd', dockerdArgs(), { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  writeFileSync(dockerdPidFile, String(child.pid));
  await waitFor('dockerd to answer', async () => (await docker.ping()).toString() === 'OK', 60_000, 200);
}
