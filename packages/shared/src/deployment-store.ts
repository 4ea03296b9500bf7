import { sql } from 'kysely';
import type { Db, DeploymentRow } from './db.ts';
import type { DeploymentStatus } from './deployment-state.ts';
import type { LogLine, LogStream } from './log-line.ts';
import { BerthError } from './errors.ts';

export interface NewDeployment {
  id: string;
  project: string;
  sourceType: 'git' | 'archive';
  gitUrl?: string | undefined;
  gitRef?: string | undefined;
  rootDir: string;
  archive?: { format: 'zip' | 'tar.gz'; data: Buffer } | undefined;
  port: number;
  env: Record<string, string>;
}

export interface ListQuery {
  limit: number;
  cursor?: string | undefined;
  status?: DeploymentStatus | undefined;
  project?: string | undefined;
}

/**
 * Everything Berth keeps in Postgres about deployments, behind one narrow
 * interface used by the API, the worker and router-sync. Status changes are
 * not here: `DeploymentLifecycle` owns them.
 */
export class DeploymentStore {
  constructor(private readonly db: Db) {}

  async create(input: NewDeployment): Promise<DeploymentRow> {
    return this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('projects')
        .values({ name: input.project, current_deployment_id: null, updated_at: new Date() })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const row = await trx
        .insertInto('deployments')
        .values({
          id: input.id,
          project: input.project,
          status: 'queued',
          error_code: null,
          error_message: null,
          source_type: input.sourceType,
          git_url: input.gitUrl ?? null,
          git_ref: input.gitRef ?? null,
          root_dir: input.rootDir,
          archive_format: input.archive?.format ?? null,
          port: input.port,
          env: JSON.stringify(input.env),
          image: null,
          container_id: null,
          // Set here (millisecond precision) so keyset cursors round-trip exactly.
          created_at: new Date(),
          updated_at: new Date(),
          finished_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('deployment_transitions')
        .values({ deployment_id: input.id, status: 'queued', error_code: null, error_message: null, at: row.created_at })
        .execute();
      if (input.archive) {
        await trx
          .insertInto('deployment_archives')
          .values({ deployment_id: input.id, data: input.archive.data })
          .execute();
      }
      return row;
    });
  }

  async get(id: string): Promise<DeploymentRow | undefined> {
    return this.db.selectFrom('deployments').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Newest first, keyset-paginated on (created_at, id). */
  async list(query: ListQuery): Promise<{ items: DeploymentRow[]; nextCursor: string | null }> {
    let q = this.db.selectFrom('deployments').selectAll();
    if (query.status) q = q.where('status', '=', query.status);
    if (query.project) q = q.where('project', '=', query.project);
    if (query.cursor) {
      const after = decodeCursor(query.cursor);
      q = q.where((eb) =>
        eb.or([
          eb('created_at', '<', after.createdAt),
          eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
        ]),
      );
    }
    const rows = await q
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit + 1)
      .execute();
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
  }

  /** The deployment's status changes, oldest first. */
  async transitions(deploymentId: string): Promise<{ status: DeploymentStatus; errorCode: string | null; errorMessage: string | null; at: Date }[]> {
    const rows = await this.db
      .selectFrom('deployment_transitions')
      .select(['status', 'error_code', 'error_message', 'at'])
      .where('deployment_id', '=', deploymentId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ status: r.status, errorCode: r.error_code, errorMessage: r.error_message, at: r.at }));
  }

  async getArchive(id: string): Promise<Buffer | undefined> {
    const row = await this.db
      .selectFrom('deployment_archives')
      .select('data')
      .where('deployment_id', '=', id)
      .executeTakeFirst();
    return row?.data;
  }

  async deleteArchive(id: string): Promise<void> {
    await this.db.deleteFrom('deployment_archives').where('deployment_id', '=', id).execute();
  }

  /** Deletes the archives of deployments in any of `statuses`; returns their ids. */
  async deleteArchivesWhere(statuses: readonly DeploymentStatus[]): Promise<string[]> {
    const rows = await this.db
      .deleteFrom('deployment_archives')
      .where('deployment_id', 'in', (qb) => qb.selectFrom('deployments').select('id').where('status', 'in', [...statuses]))
      .returning('deployment_id')
      .execute();
    return rows.map((r) => r.deployment_id);
  }

  /**
   * Idempotent: a batch written twice (a retried flush) keeps one copy of each
   * line. One statement with array parameters (unnest) instead of thousands of
   * VALUES placeholders: several times faster for big batches.
   */
  async appendLogs(deploymentId: string, lines: readonly LogLine[]): Promise<void> {
    if (lines.length === 0) return;
    await sql`
      insert into deployment_logs (deployment_id, seq, ts, stream, line)
      select ${deploymentId}, * from unnest(
        ${lines.map((l) => l.seq)}::bigint[],
        ${lines.map((l) => l.ts)}::timestamptz[],
        ${lines.map((l) => l.stream)}::text[],
        ${lines.map((l) => l.line)}::text[]
      )
      on conflict (deployment_id, seq) do nothing`.execute(this.db);
  }

  async logs(
    deploymentId: string,
    options: { afterSeq?: number; limit?: number; stream?: LogStream | undefined } = {},
  ): Promise<LogLine[]> {
    let q = this.db
      .selectFrom('deployment_logs')
      .select(['seq', 'ts', 'stream', 'line'])
      .where('deployment_id', '=', deploymentId)
      .where('seq', '>', options.afterSeq ?? 0);
    if (options.stream) q = q.where('stream', '=', options.stream);
    const rows = await q.orderBy('seq').limit(options.limit ?? 10_000).execute();
    return rows.map((r) => ({ seq: r.seq, ts: r.ts.toISOString(), stream: r.stream, line: r.line }));
  }

  async maxLogSeq(deploymentId: string): Promise<number> {
    const row = await this.db
      .selectFrom('deployment_logs')
      .select((eb) => eb.fn.max('seq').as('max'))
      .where('deployment_id', '=', deploymentId)
      .executeTakeFirst();
    return Number(row?.max ?? 0);
  }

  /** Timestamp of the newest stored line of one stream (where a runtime log follower resumes). */
  async lastLogTs(deploymentId: string, stream: LogStream): Promise<Date | undefined> {
    const row = await this.db
      .selectFrom('deployment_logs')
      .select('ts')
      .where('deployment_id', '=', deploymentId)
      .where('stream', '=', stream)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.ts;
  }

  /** Keeps the newest `keep` lines of one stream, deleting older ones; returns how many went. */
  async trimLogs(deploymentId: string, stream: LogStream, keep: number): Promise<number> {
    const cutoff = await this.db
      .selectFrom('deployment_logs')
      .select('seq')
      .where('deployment_id', '=', deploymentId)
      .where('stream', '=', stream)
      .orderBy('seq', 'desc')
      .offset(keep)
      .limit(1)
      .executeTakeFirst();
    if (!cutoff) return 0;
    const result = await this.db
      .deleteFrom('deployment_logs')
      .where('deployment_id', '=', deploymentId)
      .where('stream', '=', stream)
      .where('seq', '<=', cutoff.seq)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Deployments in one of `statuses` not updated for `olderThanMs` (candidates for the reaper). */
  async stale(statuses: readonly DeploymentStatus[], olderThanMs: number): Promise<DeploymentRow[]> {
    return this.db
      .selectFrom('deployments')
      .selectAll()
      .where('status', 'in', statuses)
      .where('updated_at', '<', new Date(Date.now() - olderThanMs))
      .orderBy('created_at')
      .limit(500)
      .execute();
  }

  async statuses(ids: readonly string[]): Promise<Map<string, DeploymentStatus>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.selectFrom('deployments').select(['id', 'status']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r.status]));
  }

  /** Points the project's stable URL at this deployment. */
  async promote(project: string, deploymentId: string): Promise<void> {
    await this.db
      .updateTable('projects')
      .set({ current_deployment_id: deploymentId, updated_at: new Date() })
      .where('name', '=', project)
      .execute();
  }

  async currentDeployments(): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('projects')
      .select(['name', 'current_deployment_id'])
      .where('current_deployment_id', 'is not', null)
      .execute();
    return new Map(rows.map((r) => [r.name, r.current_deployment_id!]));
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }
}

function encodeCursor(row: DeploymentRow): string {
  return Buffer.from(`${row.created_at.toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) {
    throw new BerthError('VALIDATION_FAILED', 'cursor is not one this API returned');
  }
  return { createdAt, id };
}
