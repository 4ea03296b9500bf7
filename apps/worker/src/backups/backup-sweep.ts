import type { BackupFiles } from '@berth/shared/backup-files';
import type { BackupRetention } from '@berth/shared/backup-retention';
import type { Logger } from '@berth/shared/logger';

export interface BackupSweepDeps {
  retention: Pick<BackupRetention, 'expire' | 'wanted' | 'existingProjects'>;
  files: Pick<BackupFiles, 'list' | 'projects' | 'removeFile' | 'remove' | 'removeEmptyFolder'>;
  /** BACKUPS_MAX_AGE_DAYS in ms; 0: no retention by age. */
  maxAgeMs: number;
  logger: Logger;
}

/**
 * The backup store's clean-up, run by every worker at start and every BACKUP_SWEEP_INTERVAL_MS
 * (idempotent: two at once do no harm):
 * - retention by age (BackupRetention.expire), the files of the backups it forgot;
 * - files no backup row wants any more: a deleted project's (its rows went with it), a deleted
 *   service's whose data went too, one whose backup failed or whose worker died mid-write (a
 *   `.partial` of a row no longer under way). A row is made before its file, so a file without
 *   a wanted row is never one being written;
 * - the folders of projects that no longer exist, once empty (no backup of them can start).
 */
export async function sweepBackups(deps: BackupSweepDeps): Promise<void> {
  const { retention, files, logger } = deps;
  if (deps.maxAgeMs > 0) {
    const expired = await retention.expire(deps.maxAgeMs);
    for (const b of expired) await files.remove(b.project, b.id);
    if (expired.length > 0) logger.info({ backups: expired.map((b) => b.id) }, 'removed backups older than BACKUPS_MAX_AGE_DAYS');
  }
  const stored = await files.list();
  const wanted = await retention.wanted(stored);
  const unwanted = stored.filter((f) => !wanted.has(`${f.project}/${f.id}`));
  for (const f of unwanted) await files.removeFile(f);
  if (unwanted.length > 0) logger.info({ files: unwanted.map((f) => `${f.project}/${f.id}`) }, 'removed backup files no backup row wants (deleted projects and services, failed writes)');
  const folders = await files.projects();
  const existing = await retention.existingProjects(folders);
  for (const project of folders.filter((p) => !existing.has(p))) await files.removeEmptyFolder(project);
}
