import { sql } from 'kysely';
import type { Db } from './db.ts';
import { sealedPlace, type SecretBox } from './secret-box.ts';
import { servicePasswordPlace } from './service-kinds.ts';

/**
 * Every column that holds a sealed value, with the place its values are
 * bound to: the one list a key rotation walks. A new sealed column is added
 * here (else `secrets rotate-key` leaves it under the old key).
 */
export const sealedColumns: readonly SealedColumn[] = [
  { table: 'projects', key: 'name', column: 'env_sealed', place: (r) => sealedPlace(r.name!, 'env') },
  { table: 'projects', key: 'name', column: 'build_env_sealed', place: (r) => sealedPlace(r.name!, 'buildEnv') },
  { table: 'projects', key: 'name', column: 'preview_env_sealed', place: (r) => sealedPlace(r.name!, 'previewEnv') },
  { table: 'projects', key: 'name', column: 'preview_build_env_sealed', place: (r) => sealedPlace(r.name!, 'previewBuildEnv') },
  { table: 'projects', key: 'name', column: 'hook_secret_sealed', place: (r) => sealedPlace(r.name!, 'hookSecret') },
  { table: 'projects', key: 'name', column: 'registry_auth_sealed', place: (r) => sealedPlace(r.name!, 'registryAuth') },
  { table: 'deployments', key: 'id', also: 'project', column: 'env_sealed', place: (r) => sealedPlace(r.project!, 'env') },
  { table: 'deployments', key: 'id', also: 'project', column: 'build_env_sealed', place: (r) => sealedPlace(r.project!, 'buildEnv') },
  { table: 'webhooks', key: 'id', also: 'project', column: 'secret_sealed', place: (r) => sealedPlace(r.project!, 'webhookSecret') },
  { table: 'log_drains', key: 'id', also: 'project', column: 'secret_sealed', place: (r) => sealedPlace(r.project!, 'logDrainSecret') },
  { table: 'services', key: 'id', also: 'project', column: 'password_sealed', place: (r) => servicePasswordPlace(r.project!, r.id!) },
  // Sealed bound to no place (second-factor-store.ts): re-sealed under the new key as it is.
  { table: 'users', key: 'id', column: 'totp_secret_sealed', place: () => '' },
];

export interface SealedColumn {
  table: string;
  /** The row's key column. */
  key: string;
  /** Another column the place is made from. */
  also?: string;
  column: string;
  place: (row: Record<string, string>) => string;
}

export interface RotationResult {
  /** Values re-sealed under the current key, bound to their place. */
  resealed: number;
  /** Values already under the current key. */
  current: number;
  /** Values changed by someone else while this ran (sealed by a program, under its key): run again to be sure. */
  changedMeanwhile: number;
  /** `table.column key` of each value no key opens here, or that does not belong to its row: left as they are. */
  unreadable: string[];
}

/**
 * Re-seals every stored sealed value under the box's current key, bound to
 * its place (values of older versions, with no key id and no place, become
 * bound too). Opens with any of the box's keys. Each row is written only if
 * it still holds what was read (compare and set), so an env set meanwhile
 * through the API is never overwritten; the programs keep serving throughout.
 */
export async function rotateSealedValues(db: Db, box: SecretBox, columns: readonly SealedColumn[] = sealedColumns): Promise<RotationResult> {
  const result: RotationResult = { resealed: 0, current: 0, changedMeanwhile: 0, unreadable: [] };
  for (const c of columns) {
    const fields = [c.key, ...(c.also ? [c.also] : [])].map((f) => sql.ref(f));
    const { rows } = await sql<Record<string, string>>`select ${sql.join(fields)}, ${sql.ref(c.column)} as sealed from ${sql.table(c.table)} where ${sql.ref(c.column)} is not null`.execute(db);
    for (const row of rows) {
      const sealed = row.sealed!;
      if (box.isCurrent(sealed)) {
        result.current++;
        continue;
      }
      let values: Record<string, string>;
      try {
        values = box.open(sealed, c.place(row));
      } catch {
        result.unreadable.push(`${c.table}.${c.column} ${row[c.key]}`);
        continue;
      }
      const next = box.seal(values, c.place(row));
      const updated = await sql`update ${sql.table(c.table)} set ${sql.ref(c.column)} = ${next} where ${sql.ref(c.key)} = ${row[c.key]} and ${sql.ref(c.column)} = ${sealed}`.execute(db);
      if (Number(updated.numAffectedRows ?? 0) === 1) result.resealed++;
      else result.changedMeanwhile++;
    }
  }
  return result;
}
