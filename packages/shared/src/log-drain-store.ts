import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from './db.ts';
import { BerthError } from './errors.ts';
import type { LogDrainRow } from './log-drain-tables.ts';

export type { LogDrainRow, DrainStatus } from './log-drain-tables.ts';

export const maxDrainsPerProject = 5;

/** A deployment with lines its drain has not delivered yet, and the last seq it did. */
export interface PendingDeployment {
  deploymentId: string;
  afterSeq: number;
}

/**
 * Log drains and their cursors. A drain starts at the end of every deployment
 * the project already has (it sends what comes from now on) and from the first
 * line of every deployment made after it. A worker holds a drain's lease while
 * it delivers; advancing a cursor renews the lease and fails once it is lost.
 */
export class LogDrainStore {
  constructor(private readonly db: Db) {}

  /** A new drain, its cursors at the project's existing deployments' ends (one transaction). The caller checks room and URL first. */
  async create(project: string, drain: { url: string; secretSealed: string | null }): Promise<LogDrainRow> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('log_drains')
        .values({ id: `drn_${randomBytes(8).toString('hex')}`, project, url: drain.url, secret_sealed: drain.secretSealed })
        .returningAll()
        .executeTakeFirstOrThrow();
      await sql`
        insert into log_drain_cursors (drain_id, deployment_id, last_seq)
        select ${row.id}, d.id, coalesce((select max(seq) from deployment_logs l where l.deployment_id = d.id), 0)
        from deployments d where d.project = ${project}`.execute(trx);
      return row;
    });
  }

  /** CONFLICT when the project has its maximum of drains. */
  async assertRoom(project: string): Promise<void> {
    const { n } = await this.db.selectFrom('log_drains').select((eb) => eb.fn.countAll<string>().as('n')).where('project', '=', project).executeTakeFirstOrThrow();
    if (Number(n) >= maxDrainsPerProject) throw new BerthError('CONFLICT', `${project} has ${maxDrainsPerProject} log drains already; delete one first`);
  }

  async list(project: string): Promise<LogDrainRow[]> {
    return this.db.selectFrom('log_drains').selectAll().where('project', '=', project).orderBy('created_at').orderBy('id').execute();
  }

  /** The project's drain; NOT_FOUND when it has none of that id. */
  async mustGet(project: string, id: string): Promise<LogDrainRow> {
    const row = await this.db.selectFrom('log_drains').selectAll().where('id', '=', id).where('project', '=', project).executeTakeFirst();
    if (!row) throw new BerthError('NOT_FOUND', `project ${project} has no log drain ${id}`);
    return row;
  }

  /** A paused or backing-off drain tried at the next pass (its receiver is said to be back). */
  async retryNow(id: string): Promise<void> {
    await this.db.updateTable('log_drains').set({ retry_at: null }).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('log_drains').where('id', '=', id).execute();
  }

  /** Takes the lease of up to `limit` drains due now (not retrying later, not leased by a live worker). */
  async claimDue(owner: string, leaseMs: number, limit: number): Promise<LogDrainRow[]> {
    const { rows } = await sql<LogDrainRow>`
      update log_drains set lease_owner = ${owner}, lease_until = now() + ${leaseMs} * interval '1 millisecond'
      where id in (
        select id from log_drains
        where (retry_at is null or retry_at <= now()) and (lease_until is null or lease_until < now())
        order by id for update skip locked limit ${limit})
      returning *`.execute(this.db);
    return rows;
  }

  /** Gives the lease back (a pass ended). */
  async release(drainId: string, owner: string): Promise<void> {
    await this.db.updateTable('log_drains').set({ lease_owner: null, lease_until: null }).where('id', '=', drainId).where('lease_owner', '=', owner).execute();
  }

  /** The drain's deployments with undelivered lines, oldest first. */
  async pending(drain: Pick<LogDrainRow, 'id' | 'project' | 'created_at'>, limit = 50): Promise<PendingDeployment[]> {
    const { rows } = await sql<{ deployment_id: string; after_seq: number }>`
      select d.id as deployment_id, coalesce(c.last_seq, 0) as after_seq
      from deployments d
      left join log_drain_cursors c on c.drain_id = ${drain.id} and c.deployment_id = d.id
      where d.project = ${drain.project} and (c.last_seq is not null or d.created_at >= ${drain.created_at})
        and exists (select 1 from deployment_logs l where l.deployment_id = d.id and l.seq > coalesce(c.last_seq, 0))
      order by d.created_at, d.id limit ${limit}`.execute(this.db);
    return rows.map((r) => ({ deploymentId: r.deployment_id, afterSeq: Number(r.after_seq) }));
  }

  /**
   * Records that the receiver took a deployment's lines up to `lastSeq` (the cursor never moves
   * back), renews the lease and clears the failures; false, and nothing recorded, once `owner`
   * no longer holds the lease.
   */
  async advance(drainId: string, owner: string, cursor: { deploymentId: string; lastSeq: number }, leaseMs: number): Promise<boolean> {
    const { rows } = await sql<{ held: number }>`
      with lease as (
        update log_drains set lease_until = now() + ${leaseMs} * interval '1 millisecond', delivered_at = now(),
          status = 'active', failures = 0, last_error = null, retry_at = null
        where id = ${drainId} and lease_owner = ${owner} returning id
      ), moved as (
        insert into log_drain_cursors (drain_id, deployment_id, last_seq)
        select id, ${cursor.deploymentId}, ${cursor.lastSeq} from lease
        on conflict (drain_id, deployment_id) do update set last_seq = greatest(log_drain_cursors.last_seq, excluded.last_seq)
      )
      select count(*)::int as held from lease`.execute(this.db);
    return rows[0]!.held > 0;
  }

  /** A failed attempt: counted, its error kept, retried after `retryInMs`, `paused` from `pauseAfter` failures in a row; the lease given back. */
  async recordFailure(drainId: string, owner: string, failure: { error: string; retryInMs: number; pauseAfter: number }): Promise<void> {
    await sql`
      update log_drains set failures = failures + 1, last_error = ${failure.error.slice(0, 1000)},
        retry_at = now() + ${failure.retryInMs} * interval '1 millisecond',
        status = case when failures + 1 >= ${failure.pauseAfter} then 'paused' else status end,
        lease_owner = null, lease_until = null
      where id = ${drainId} and lease_owner = ${owner}`.execute(this.db);
  }
}
