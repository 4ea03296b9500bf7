import type Docker from 'dockerode';
import { BerthError } from '@berth/shared/errors';
import { execStreaming, type ExecResult, type ExecStreams } from './exec-stream.ts';

/** How long after the container's own `timeout` the worker cuts the exec off itself (a Docker that stopped answering). */
export const cutOffGraceMs = 5_000;

export function timedOut(): BerthError {
  return new BerthError('BACKUP_TIMED_OUT', 'it took longer than BACKUP_TIMEOUT_MS and was stopped (its command sent SIGTERM)');
}

/**
 * `work`'s outcome, or BACKUP_TIMED_OUT once `at` (epoch ms) comes first: the backstop for what
 * hangs outside a tool's exec, which execBefore bounds (a backup store on a mount that stopped
 * answering, Docker's API not answering an exec's creation). The work is left to end by itself,
 * unwatched: past its deadline execBefore starts no tool, so a restore stuck reading its file
 * cannot apply late (an exec Docker held up before the deadline may still start, within its `timeout`).
 */
export async function settledBefore<T>(work: Promise<T>, at: number): Promise<T> {
  work.catch(() => undefined); // its failure after the backstop is nobody's
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new BerthError('BACKUP_TIMED_OUT', 'it took longer than BACKUP_TIMEOUT_MS, stuck outside its tool (the backup store or Docker not answering), and was given up')), Math.max(0, at - Date.now()));
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
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
