import { sql, type RawBuilder } from 'kysely';
import type { DeploymentRow } from './db.ts';

/**
 * One public field of a deployment: how it is read from a row, and the same
 * read in SQL (for statements that build a payload themselves, like
 * superseding: one round trip for many rows). Both come from one table, so
 * they cannot drift apart.
 */
export interface PublicField<T> {
  of: (row: DeploymentRow) => T;
  sql: string;
}

type Fields = Record<string, PublicField<unknown>>;
export type ShapeOf<F extends Fields> = { [K in keyof F]: ReturnType<F[K]['of']> };

/** A column as it is. */
export function column<K extends keyof DeploymentRow>(name: K): PublicField<DeploymentRow[K]> {
  return { of: (row) => row[name], sql: name };
}

/** A timestamp column as ISO 8601 in UTC with milliseconds (what `Date.toISOString` gives). */
function time(name: 'created_at' | 'updated_at'): PublicField<string> {
  return { of: (row) => row[name].toISOString(), sql: `to_char(${name} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` };
}

/**
 * What every public view of a deployment shows: the API's view
 * (deployment-view.ts in the API) and the webhook payload (webhook-outbox.ts)
 * both start from these and add their own. Never its env.
 */
export const publicDeploymentFields = {
  id: column('id'),
  project: column('project'),
  status: column('status'),
  errorCode: column('error_code'),
  errorMessage: column('error_message'),
  commitSha: column('commit_sha'),
  releaseOf: column('release_of'),
  createdAt: time('created_at'),
  updatedAt: time('updated_at'),
} satisfies Fields;

export type PublicDeployment = ShapeOf<typeof publicDeploymentFields>;

/** The fields' values for one row. */
export function shapeOf<F extends Fields>(fields: F, row: DeploymentRow): ShapeOf<F> {
  return Object.fromEntries(Object.entries(fields).map(([key, field]) => [key, field.of(row)])) as ShapeOf<F>;
}

/** The same object in SQL, over a row's columns (unqualified: the statement's row source must have them). */
export function jsonbOf(fields: Fields): RawBuilder<unknown> {
  const pairs = Object.entries(fields).map(([key, field]) => `'${key}', ${field.sql}`);
  return sql.raw(`jsonb_build_object(${pairs.join(', ')})`);
}

/** The public deployment of a row. */
export function publicDeployment(row: DeploymentRow): PublicDeployment {
  return shapeOf(publicDeploymentFields, row);
}
