import { sql } from 'kysely';
import type { Db, DeploymentRow } from './db.ts';

/** A deployment as its view needs it: the row, whether its project's URL serves it, its place while queued. */
export interface DeploymentWithPlace {
  row: DeploymentRow;
  current: boolean;
  /** 1 = next to be taken; null when not queued (or not counted). */
  queuePosition: number | null;
}

/**
 * These deployments (missing ones left out) in one query, with whether their
 * project's URL serves them. With `countPlace`, a queued one's place too: a
 * count over the queued deployments ahead of it, which with thousands queued
 * is most of Postgres's CPU for the read; without, queuePosition is null and
 * the caller asks the queue itself for the rank.
 */
export async function deploymentsWithPlace(db: Db, ids: readonly string[], countPlace: boolean): Promise<Map<string, DeploymentWithPlace>> {
  if (ids.length === 0) return new Map();
  const place = countPlace
    ? sql<string | null>`case when d.status = 'queued' then (select count(*) + 1 from deployments q where q.status = 'queued' and (q.created_at, q.id) < (d.created_at, d.id)) end`
    : sql<string | null>`null`;
  const rows = await db
    .selectFrom('deployments as d')
    .leftJoin('projects as p', 'p.name', 'd.project')
    .selectAll('d')
    .select([sql<boolean>`coalesce(p.current_deployment_id = d.id, false)`.as('is_current'), place.as('queue_place')])
    .where('d.id', 'in', ids)
    .execute();
  const found = new Map<string, DeploymentWithPlace>();
  for (const { is_current, queue_place, ...row } of rows) {
    found.set(row.id, { row: row as DeploymentRow, current: is_current, queuePosition: queue_place === null ? null : Number(queue_place) });
  }
  return found;
}
