import type { ColumnType, Generated } from 'kysely';

// What a project holds besides its releases: its volumes (migration 0012) and managed services (0017).

/** A project's named volume (Docker: `berth-<instance>-vol-<id>`); bytes as the workers last measured them. */
export interface VolumesTable {
  id: string;
  project: string;
  name: string;
  mount_path: string;
  created_at: Generated<Date>;
  bytes_used: ColumnType<number | null, number | null | undefined, number | null>;
  measured_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Swarm mode: the node holding it (0027), set when a release first mounts it; null until then and in docker mode. */
  node_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export type ServiceType = 'postgres' | 'redis';

/** A project's managed database (migrations/versions/0017-services.ts says what each column is). */
export interface ServicesTable {
  id: string;
  project: string;
  name: string;
  type: ServiceType;
  version: string;
  image: string;
  env_name: string;
  previews: ColumnType<boolean, boolean | undefined, boolean>;
  password_sealed: string;
  status: ColumnType<string, string | undefined, string>;
  status_message: ColumnType<string | null, string | null | undefined, string | null>;
  restarts: ColumnType<number, number | undefined, number>;
  bytes_used: ColumnType<number | null, number | null | undefined, number | null>;
  measured_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  delete_requested: ColumnType<boolean, boolean | undefined, boolean>;
  delete_data: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Generated<Date>;
  /** Cron (UTC) of its scheduled backups; null: on demand only (migrations/versions/0019-backups.ts). */
  backup_schedule: ColumnType<string | null, string | null | undefined, string | null>;
}
