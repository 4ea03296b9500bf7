import type { ColumnType, Generated } from 'kysely';
import type { ServiceType } from './project-resource-tables.ts';

// The table of service backups and restores (migrations/versions/0019-backups.ts); db.ts lists it in Database.

export type BackupKind = 'backup' | 'restore';
export type BackupStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** One backup of a service, or one restore of a backup into it. */
export interface BackupsTable {
  id: string;
  project: string;
  service_id: string;
  service_name: string;
  service_type: ServiceType;
  kind: BackupKind;
  /** A restore's source backup. */
  backup_id: string | null;
  status: BackupStatus;
  /** The stored (compressed, encrypted) file's size; a restore: the size it read. */
  bytes: ColumnType<string | null, number | null | undefined, number | null>;
  error_code: string | null;
  /** A readable sentence without the service's data (every reader of the project sees it). */
  error_message: string | null;
  /** The tool's last stderr lines, which may quote the data: shown only to those who may read the project's secrets (0022). */
  error_detail: Generated<string | null>;
  created_at: Generated<Date>;
  started_at: Date | null;
  finished_at: Date | null;
}
