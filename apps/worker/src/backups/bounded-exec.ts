import type Docker from 'dockerode';
import { BerthError } from '@berth/shared/errors';
import { execStreaming, type ExecResult, type ExecStreams } from './exec-stream.ts';

/** How long after the container's own `timeout` the worker cuts the exec off itself (a Docker that stopped answering). */
const cutOffGraceMs = 5_000;

export function timedOut(): BerthError {
  return new BerthError('BACKUP_TIMED_OUT', 'it took longer than BACKUP_TIMEOUT_MS and was stopped (its command sent SIGTERM)');
}

/**
 * Runs a backup tool in a service's container (execStreaming) that must end by `deadline` (epoch
 * ms; undefined: no bound). A dump that hangs (a lock it waits for, a stuck client) would hold
 * the service's one operation slot for good, so: `timeout` stops it in the container at the
 * deadline with SIGTERM (its process group: a shell's children too; pg_dump and pg_restore end,
 * Postgres rolls the restore's one transaction back), and the worker cuts the exec's streams off
 * a little later should Docker not end it. Past the deadline: BACKUP_TIMED_OUT.
 * Never SIGKILL: the group's processes die at once, an orphan is reaped by the container's PID 1,
 * and when that is Postgres' postmaster, a child it does not know dying of a signal makes it
 * restart every backend in crash recovery (seen on the real stack).
 */
export async function execBefore(
  docker: Docker,
  container: string,
  cmd: string[],
  env: string[],
  streams: Omit<ExecStreams, 'signal'>,
  deadline: number | undefined,
): Promise<ExecResult> {
  if (deadline === undefined) return execStreaming(docker, container, cmd, env, streams);
  const remaining = deadline - Date.now();
  if (remaining <= 0) throw timedOut();
  const bounded = ['timeout', String(Math.ceil(remaining / 1000)), ...cmd];
  let result: ExecResult;
  try {
    result = await execStreaming(docker, container, bounded, env, { ...streams, signal: AbortSignal.timeout(remaining + cutOffGraceMs) });
  } catch (err) {
    if (Date.now() >= deadline) throw timedOut();
    throw err;
  }
  if (result.exitCode !== 0 && Date.now() >= deadline) throw timedOut();
  return result;
}
