import { randomBytes } from 'node:crypto';
import type { BackupKind, BackupRow, Db } from './db.ts';
import { BerthError } from './errors.ts';
import { recordWebhookEvent } from './webhook-outbox.ts';

/** Postgres' code for a unique violation: the service already has a backup or restore queued or running. */
const uniqueViolation = '23505';

/** `bkp` and 12 lowercase alphanumerics: a valid BullMQ job id and file name. */
export function newBackupId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return 'bkp' + [...randomBytes(12)].map((b) => alphabet[b % 36]).join('');
}

export interface BackupEnd {
  status: 'succeeded' | 'failed';
  bytes?: number | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  /** What may quote the service's data (a tool's stderr): kept apart from the message. */
  errorDetail?: string | null;
}

/**
 * A backup (or a restore) as the API shows it (and `backup.failed` sends it). `errorDetail` (a
 * tool's stderr, which may quote rows) only with `showDetail`: callers who may read the project's secrets.
 */
export function backupView(row: BackupRow, showDetail = false) {
  return {
    id: row.id,
    project: row.project,
    service: row.service_name,
    type: row.service_type,
    kind: row.kind,
    backupId: row.backup_id,
    status: row.status,
    bytes: row.bytes === null ? null : Number(row.bytes),
    errorCode: row.error_code,
    errorMessage: row.error_message,
    errorDetail: showDetail ? row.error_detail : null,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

/** Backups of a project's services and restores from them (migrations/versions/0019-backups.ts). */
export class BackupStore {
  constructor(private readonly db: Db) {}

  /**
   * A queued backup of the project's service, or a restore of `backupId` into it. NOT_FOUND
   * without the service (or that backup of it, succeeded); CONFLICT while another of its
   * backups or restores is queued or running (one at a time per service). `fromService`: the
   * backup is of that service of the project (restoring into a new service), not of this one.
   */
  async create(project: string, serviceName: string, kind: BackupKind, backupId?: string, fromService?: string): Promise<BackupRow> {
    const service = await this.db
      .selectFrom('services')
      .select(['id', 'name', 'type'])
      .where('project', '=', project)
      .where('name', '=', serviceName)
      .where('delete_requested', '=', false)
      .executeTakeFirst();
    if (!service) throw new BerthError('NOT_FOUND', `project ${project} has no service ${serviceName}`);
    if (kind === 'restore') {
      const source = await this.get(backupId ?? '');
      const ofService = fromService === undefined ? source?.service_id === service.id : source?.project === project && source.service_name === fromService;
      if (!source || !ofService || source.kind !== 'backup') throw new BerthError('NOT_FOUND', `service ${fromService ?? serviceName} has no backup ${backupId}`);
      if (source.status !== 'succeeded') throw new BerthError('CONFLICT', `backup ${backupId} is ${source.status}: only a finished backup can be restored`);
    }
    try {
      return await this.db
        .insertInto('backups')
        .values({ id: newBackupId(), project, service_id: service.id, service_name: service.name, service_type: service.type, kind, backup_id: backupId ?? null, status: 'queued' })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (err) {
      if ((err as { code?: string }).code !== uniqueViolation) throw err;
      throw new BerthError('CONFLICT', `service ${serviceName} already has a backup or restore queued or running; wait for it to end`);
    }
  }

  /** Sets (or, with null, clears) the service's backup schedule; its id. NOT_FOUND without the service. */
  async setSchedule(project: string, serviceName: string, schedule: string | null): Promise<string> {
    const row = await this.db
      .updateTable('services')
      .set({ backup_schedule: schedule })
      .where('project', '=', project)
      .where('name', '=', serviceName)
      .where('delete_requested', '=', false)
      .returning('id')
      .executeTakeFirst();
    if (!row) throw new BerthError('NOT_FOUND', `project ${project} has no service ${serviceName}`);
    return row.id;
  }

  /** Clears the service's backup schedule if it still is `schedule` (not one set since); whether it did. */
  async clearSchedule(serviceId: string, schedule: string): Promise<boolean> {
    const cleared = await this.db.updateTable('services').set({ backup_schedule: null }).where('id', '=', serviceId).where('backup_schedule', '=', schedule).executeTakeFirst();
    return cleared.numUpdatedRows > 0n;
  }

  async get(id: string): Promise<BackupRow | undefined> {
    return this.db.selectFrom('backups').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** NOT_FOUND unless it exists and is of this project's service. */
  async load(project: string, serviceName: string, id: string): Promise<BackupRow> {
    const row = await this.get(id);
    if (!row || row.project !== project || row.service_name !== serviceName) throw new BerthError('NOT_FOUND', `service ${serviceName} of project ${project} has no backup ${id}`);
    return row;
  }

  /** The service's backups and restores, newest first (those of an earlier service of the same name too). NOT_FOUND without the project. */
  async list(project: string, serviceName: string, limit = 100): Promise<BackupRow[]> {
    const exists = await this.db.selectFrom('projects').select('name').where('name', '=', project).executeTakeFirst();
    if (!exists) throw new BerthError('NOT_FOUND', `project ${project} does not exist`);
    return this.db.selectFrom('backups').selectAll().where('project', '=', project).where('service_name', '=', serviceName).orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
  }

  /** Takes a queued one for this worker; undefined when it is not queued (taken already). */
  async start(id: string): Promise<BackupRow | undefined> {
    return this.db.updateTable('backups').set({ status: 'running', started_at: new Date() }).where('id', '=', id).where('status', '=', 'queued').returningAll().executeTakeFirst();
  }

  /** Records how it ended (one already ended keeps its end); a failure sends `backup.failed` in the same transaction. */
  async finish(id: string, end: BackupEnd): Promise<BackupRow | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('backups')
        .set({ status: end.status, bytes: end.bytes ?? null, error_code: end.errorCode ?? null, error_message: end.errorMessage ?? null, error_detail: end.errorDetail ?? null, finished_at: new Date() })
        .where('id', '=', id)
        .where('status', 'in', ['queued', 'running'])
        .returningAll()
        .executeTakeFirst();
      if (row?.status === 'failed') await recordWebhookEvent(trx, row.project, 'backup.failed', backupView(row));
      return row;
    });
  }

  /**
   * Retention by count: the service's succeeded backups past the newest `keep` are forgotten (with
   * the restores made from them); their ids, whose files the caller removes. A failed backup has no file.
   */
  async prune(serviceId: string, keep: number): Promise<{ project: string; id: string }[]> {
    const old = await this.db
      .selectFrom('backups')
      .select(['project', 'id'])
      .where('service_id', '=', serviceId)
      .where('kind', '=', 'backup')
      .where('status', '=', 'succeeded')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .offset(keep)
      .limit(1000)
      .execute();
    if (old.length === 0) return [];
    // A restore from one of them that is still under way keeps it.
    const busy = await this.db.selectFrom('backups').select('backup_id').where('backup_id', 'in', old.map((o) => o.id)).where('status', 'in', ['queued', 'running']).execute();
    const removable = old.filter((o) => !busy.some((b) => b.backup_id === o.id));
    if (removable.length === 0) return [];
    await this.db.deleteFrom('backups').where('id', 'in', removable.map((o) => o.id)).execute();
    return removable;
  }
}
