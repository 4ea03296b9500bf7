import { sql } from 'kysely';
import type { Db } from './db.ts';

/** A stored backup's file: `<project>/<id>.bkp` (`.partial` while being written). */
export interface BackupFileRef {
  project: string;
  id: string;
}

/**
 * What the backups' sweep asks of the table (apps/worker/src/backups/backup-sweep.ts): retention
 * by age, which files still have their backup, and the rows of a service deleted with its data.
 * Retention by count is BackupStore.prune, after each new backup.
 */
export class BackupRetention {
  constructor(private readonly db: Db) {}

  /**
   * Retention by age (BACKUPS_MAX_AGE_DAYS): finished backups and restores older than `maxAgeMs`
   * are forgotten (restores made from a backup go with it), except each service's newest
   * succeeded backup (a service whose schedule stopped still has one) and a backup a restore
   * still reads. The backups forgotten, whose files the caller removes.
   */
  async expire(maxAgeMs: number): Promise<BackupFileRef[]> {
    const cutoff = new Date(Date.now() - maxAgeMs);
    const newest = this.db
      .selectFrom('backups')
      .select(sql<string>`distinct on (service_id) id`.as('id'))
      .where('kind', '=', 'backup')
      .where('status', '=', 'succeeded')
      .orderBy('service_id')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc');
    const read = this.db
      .selectFrom('backups')
      .select(sql<string>`backup_id`.as('id'))
      .where('backup_id', 'is not', null)
      .where('status', 'in', ['queued', 'running']);
    const gone = await this.db
      .deleteFrom('backups')
      .where('created_at', '<', cutoff)
      .where('status', 'in', ['succeeded', 'failed'])
      .where('id', 'not in', newest)
      .where('id', 'not in', read)
      .returning(['project', 'id', 'kind'])
      .execute();
    return gone.filter((g) => g.kind === 'backup').map(({ project, id }) => ({ project, id }));
  }

  /** Of these files, those still wanted: a backup row of the same project that succeeded, or is under way (its file being written). */
  async wanted(files: BackupFileRef[]): Promise<Set<string>> {
    if (files.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('backups')
      .select(['id', 'project'])
      .where('id', 'in', files.map((f) => f.id))
      .where('kind', '=', 'backup')
      .where('status', 'in', ['queued', 'running', 'succeeded'])
      .execute();
    return new Set(rows.map((r) => `${r.project}/${r.id}`));
  }

  /** Of these project names, those that exist. */
  async existingProjects(names: string[]): Promise<Set<string>> {
    if (names.length === 0) return new Set();
    const rows = await this.db.selectFrom('projects').select('name').where('name', 'in', names).execute();
    return new Set(rows.map((r) => r.name));
  }

  /** A service deleted with its data (deleteData) loses its backups too: their rows (the sweep removes the files). */
  async forgetService(serviceId: string): Promise<void> {
    await this.db.deleteFrom('backups').where('service_id', '=', serviceId).execute();
  }
}
