import type Docker from 'dockerode';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { decryptBackup, encryptBackup } from '@berth/shared/backup-crypto';
import { scheduleTooFrequent } from '@berth/shared/backup-schedule';
import type { BackupFiles } from '@berth/shared/backup-files';
import type { BackupStore } from '@berth/shared/backup-store';
import type { BackupRow, ServiceRow } from '@berth/shared/db';
import { serviceContainerName } from '@berth/shared/docker-names';
import { BerthError, isBerthError } from '@berth/shared/errors';
import type { Logger } from '@berth/shared/logger';
import type { SecretBox } from '@berth/shared/secret-box';
import type { ServiceStore } from '@berth/shared/service-store';
import { backupCommands, redisCleanup, redisPing } from './backup-commands.ts';
import { cutOffGraceMs, execBefore, settledBefore } from './bounded-exec.ts';
import { execStreaming } from './exec-stream.ts';
import { serviceReady } from './service-ready.ts';
import { failedTool, recordedFailure } from './tool-failure.ts';

export interface BackupRunnerDeps {
  docker: Docker;
  backups: Pick<BackupStore, 'start' | 'finish' | 'get' | 'prune' | 'create' | 'clearSchedule'>;
  services: Pick<ServiceStore, 'byId' | 'password'>;
  files: BackupFiles;
  secrets: SecretBox;
  instance: string;
  logger: Logger;
  /** BACKUPS_KEPT: a service's newest succeeded backups kept; older ones (rows and files) go after each new one. */
  keep: number;
  /** BACKUP_TIMEOUT_MS: how long one backup or restore may take before its command is stopped (BACKUP_TIMED_OUT). */
  timeoutMs: number;
  /** BACKUP_MIN_INTERVAL_MS: a schedule firing closer than this is cleared, not carried out. */
  minIntervalMs: number;
  /** How long a restore waits for a service just made to be up (default 10 minutes), and how often it looks (default 1 s). */
  readyTimeoutMs?: number;
  readyPollMs?: number;
  /** How long a restored Redis may take to answer again. */
  restartTimeoutMs?: number;
}

const defaultRestartTimeoutMs = 120_000;
const defaultReadyTimeoutMs = 600_000;
const restartTimeout = (deps: Pick<BackupRunnerDeps, 'restartTimeoutMs'>) => deps.restartTimeoutMs ?? defaultRestartTimeoutMs;

/**
 * Carries out one recorded backup or restore: takes it (queued → running), does it, records how it
 * ended (a failure sends `backup.failed`). One found running already was its dead worker's: failed.
 */
export async function carryOutBackup(deps: BackupRunnerDeps, id: string): Promise<void> {
  const row = await deps.backups.start(id);
  if (!row) {
    if ((await deps.backups.get(id))?.status === 'running') await deps.backups.finish(id, { status: 'failed', errorCode: 'ORPHANED', errorMessage: 'the worker carrying it out stopped' });
    return;
  }
  const log = deps.logger.child({ backup: id, kind: row.kind, project: row.project, service: row.service_name });
  try {
    const service = await deps.services.byId(row.service_id);
    if (!service || service.delete_requested) throw new BerthError('BACKUP_FAILED', `service ${row.service_name} is gone`);
    // A restore into a service just made waits for it to be up first, outside BACKUP_TIMEOUT_MS.
    if (row.kind === 'restore') await serviceReady(deps.services, service, Date.now() + (deps.readyTimeoutMs ?? defaultReadyTimeoutMs), deps.readyPollMs);
    const target = { container: serviceContainerName(deps.instance, service.id), type: service.type, password: deps.services.password(service), deadline: Date.now() + deps.timeoutMs };
    const operation = row.kind === 'backup' ? dumpToStore(deps, target, row) : restoreBackup(deps, row, target);
    // A restored Redis's restart is waited for past the deadline (its data is swapped in by then).
    const bytes = await settledBefore(operation, target.deadline + restartTimeout(deps) + cutOffGraceMs);
    await deps.backups.finish(id, { status: 'succeeded', bytes });
    log.info({ bytes }, `service ${row.kind} succeeded`);
    if (row.kind === 'backup') await pruneOld(deps, row.service_id);
  } catch (err) {
    await deps.backups.finish(id, { status: 'failed', ...recordedFailure(err) });
    log.warn({ err }, `service ${row.kind} failed`); // a tool's whole output (its detail) too
  }
}

/** A service's backup job scheduler, as the worker changes it (start-backups.ts: the backups queue). */
export interface BackupSchedules {
  remove(serviceId: string): Promise<unknown>;
  set(serviceId: string, schedule: string): Promise<unknown>;
}

/** One tick of a service's backup job scheduler: the service, and the pattern and zone that fired it (the tick job's repeat options). */
export interface BackupTick {
  serviceId: string;
  pattern?: string;
  tz?: string;
}

/**
 * A service's backup schedule ticked: a backup now, carried out here, unless one (or a restore) is
 * under way (skipped). A service gone, or no longer scheduled, loses its scheduler. A schedule
 * firing closer than BACKUP_MIN_INTERVAL_MS (set before the API refused it, or under a lower
 * setting) takes no backup: it is cleared, scheduler and all, as the API would have refused it.
 * A scheduler firing another pattern than the stored schedule (the API stored a new one, then
 * Redis refused its scheduler) takes no backup either: it is set again from the stored schedule
 * (one an older Berth set in the host's zone is set again in UTC).
 */
export async function scheduledBackup(deps: BackupRunnerDeps, tick: BackupTick, schedules: BackupSchedules): Promise<void> {
  const { serviceId } = tick;
  const service = await deps.services.byId(serviceId);
  if (!service || service.delete_requested || !service.backup_schedule) {
    await schedules.remove(serviceId);
    return;
  }
  const context = { service: service.name, project: service.project, schedule: service.backup_schedule, fired: tick.pattern };
  const refused = scheduleTooFrequent(service.backup_schedule, deps.minIntervalMs);
  if (refused) {
    // One set since (through the API, checked there) stays, with its scheduler.
    if (await deps.backups.clearSchedule(service.id, service.backup_schedule)) await schedules.remove(serviceId);
    return deps.logger.warn(context, `backup schedule cleared, no backup taken: ${refused}`);
  }
  if (tick.pattern !== undefined && tick.pattern !== service.backup_schedule) {
    await schedules.set(serviceId, service.backup_schedule);
    return deps.logger.warn(context, 'backup scheduler fired another pattern than the stored schedule: set again from it, no backup taken');
  }
  // An older Berth's scheduler read the pattern in the host's zone: set again, in UTC; this tick's backup is taken.
  if (tick.pattern !== undefined && tick.tz !== 'UTC') await schedules.set(serviceId, service.backup_schedule);
  let row: BackupRow;
  try {
    row = await deps.backups.create(service.project, service.name, 'backup');
  } catch (err) {
    if (isBerthError(err) && err.code === 'CONFLICT') return deps.logger.info({ service: service.name, project: service.project }, 'scheduled backup skipped: another is under way');
    throw err;
  }
  await carryOutBackup(deps, row.id);
}

async function pruneOld(deps: BackupRunnerDeps, serviceId: string): Promise<void> {
  for (const old of await deps.backups.prune(serviceId, deps.keep)) await deps.files.remove(old.project, old.id);
}

/** What moving a dump between a service container and the backup store needs (bench/backup.ts uses it too). */
export type BackupIo = Pick<BackupRunnerDeps, 'docker' | 'files' | 'secrets'>;
export interface BackupTarget {
  container: string;
  type: ServiceRow['type'];
  password: string;
  /** When its commands must have ended (epoch ms; execBefore); none: no bound. */
  deadline?: number;
}

/** The dump, streamed out of the container, gzipped and encrypted into the backup store; its size. */
export async function dumpToStore(io: BackupIo, target: BackupTarget, backup: Pick<BackupRow, 'project' | 'id'>): Promise<number> {
  const commands = backupCommands[target.type];
  const file = await io.files.create(backup.project, backup.id);
  try {
    const gzip = createGzip();
    const stored = pipeline(gzip, encryptBackup(io.secrets, backup.id), file.stream);
    stored.catch(() => undefined); // awaited below, unless the dump fails first
    const result = await execBefore(io.docker, target.container, commands.dump, commands.env(target.password), { stdout: gzip }, target.deadline);
    await stored;
    if (result.exitCode !== 0) throw failedTool(commands.dump[0] === 'sh' ? 'redis-cli --rdb' : commands.dump[0]!, result);
    return await file.commit();
  } catch (err) {
    await file.discard();
    throw err;
  }
}

/** The backup's plaintext dump (gunzipped), as it streams out of the store. */
function openDump(io: BackupIo, backup: Pick<BackupRow, 'project' | 'id'>): Readable {
  const gunzip = createGunzip();
  pipeline(io.files.read(backup.project, backup.id), decryptBackup(io.secrets, backup.id), gunzip).catch(() => {});
  return gunzip;
}

async function restoreBackup(deps: BackupRunnerDeps, row: BackupRow, target: BackupTarget): Promise<number> {
  const source = row.backup_id ? await deps.backups.get(row.backup_id) : undefined;
  if (!source) throw new BerthError('BACKUP_FAILED', `backup ${row.backup_id} is gone`);
  return restoreFromStore(deps, target, source, restartTimeout(deps));
}

/**
 * Checks the whole file first (every chunk's tag, its end, the gzip stream), then applies it:
 * a file altered anywhere is refused before anything of it reaches the service. The dump's size.
 */
export async function restoreFromStore(io: BackupIo, target: BackupTarget, source: Pick<BackupRow, 'project' | 'id'>, restartTimeoutMs = defaultRestartTimeoutMs): Promise<number> {
  let bytes = 0;
  await pipeline(openDump(io, source), new Writable({ write: (chunk: Buffer, _e, done) => ((bytes += chunk.length), done()) })).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BerthError('BACKUP_FAILED', `backup ${source.id}'s file is not in the backup store (BACKUP_DIR)`);
    throw err instanceof BerthError ? err : new BerthError('BACKUP_CORRUPT', `backup ${source.id} does not unpack: ${(err as Error).message}`);
  });
  const commands = backupCommands[target.type];
  const applied = await execBefore(io.docker, target.container, commands.restore, commands.env(target.password), { stdin: openDump(io, source) }, target.deadline);
  if (applied.exitCode !== 0) throw failedTool(commands.restore[0] === 'sh' ? 'staging the snapshot' : commands.restore[0]!, applied);
  if (commands.swap) await swapRedis(io.docker, target.container, commands.swap, restartTimeoutMs);
  return bytes;
}

/** Swaps the staged snapshot in and waits for Redis to answer again (Docker restarts it). */
async function swapRedis(docker: Docker, container: string, swap: string[], timeoutMs: number): Promise<void> {
  await execStreaming(docker, container, swap, []).catch(() => undefined); // it ends with the server
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    let answer = '';
    const sink = new Writable({ write: (c: Buffer, _e, done) => ((answer += c.toString()), done()) });
    const result = await execStreaming(docker, container, redisPing, [], { stdout: sink }).catch(() => undefined);
    if (result?.exitCode === 0 && answer.includes('PONG')) {
      await execStreaming(docker, container, redisCleanup, []).catch(() => undefined);
      return;
    }
  }
  throw new BerthError('BACKUP_FAILED', 'Redis did not answer again after the restore; its container log says why');
}
