import { sql } from 'kysely';
import type { Db } from './db.ts';
import type { LogLine, LogStream } from './log-line.ts';

export interface ResumePoint {
  /** The newest stored line's timestamp, microseconds since the epoch. */
  micros: bigint;
  /** Stored lines with exactly that timestamp. */
  lines: number;
}

/** A batch as the array parameters `unnest` takes: seqs, stamps, streams, lines. */
const columns = (lines: readonly LogLine[]) => [
  sql`${lines.map((l) => l.seq)}::bigint[]`,
  sql`${lines.map((l) => l.ts)}::timestamptz[]`,
  sql`${lines.map((l) => l.stream)}::text[]`,
  sql`${lines.map((l) => l.line)}::text[]`,
];

/** Deployments' stored log lines (build, runtime and Berth's own). */
export class LogStore {
  constructor(private readonly db: Db) {}

  /**
   * Idempotent: a batch written twice (a retried flush) keeps one copy of each
   * line. One statement with array parameters (unnest) instead of thousands of
   * VALUES placeholders: several times faster for big batches. With a
   * `follower`, a runtime follower's batch: false when it no longer follows.
   */
  async append(deploymentId: string, lines: readonly LogLine[], follower?: string): Promise<boolean> {
    if (lines.length === 0) return true;
    if (follower !== undefined) return this.appendAsFollower(deploymentId, lines, follower);
    await sql`
      insert into deployment_logs (deployment_id, seq, ts, stream, line)
      select ${deploymentId}, * from unnest(${sql.join(columns(lines))})
      on conflict (deployment_id, seq) do nothing`.execute(this.db);
    return true;
  }

  /**
   * Stores the lines only while `follower` is the deployment's runtime follower
   * (runtime-log-followers.ts); false when it no longer is, and nothing stored.
   */
  private async appendAsFollower(deploymentId: string, lines: readonly LogLine[], follower: string): Promise<boolean> {
    const { rows } = await sql<{ held: number }>`
      with fence as (
        select 1 from runtime_log_followers where deployment_id = ${deploymentId} and follower = ${follower} for share
      ), stored as (
        insert into deployment_logs (deployment_id, seq, ts, stream, line)
        select ${deploymentId}, * from unnest(${sql.join(columns(lines))}) where exists (select 1 from fence)
        on conflict (deployment_id, seq) do nothing
      )
      select count(*)::int as held from fence`.execute(this.db);
    return rows[0]!.held > 0;
  }

  async read(
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

  async maxSeq(deploymentId: string): Promise<number> {
    const row = await this.db
      .selectFrom('deployment_logs')
      .select((eb) => eb.fn.max('seq').as('max'))
      .where('deployment_id', '=', deploymentId)
      .executeTakeFirst();
    return Number(row?.max ?? 0);
  }

  /**
   * Where a stream's stored output ends (where a runtime log follower
   * resumes): the newest line's timestamp in microseconds since the epoch
   * (what Postgres keeps), and how many stored lines carry exactly that
   * timestamp, since a burst of output can share one.
   */
  async resumePoint(deploymentId: string, stream: LogStream): Promise<ResumePoint | undefined> {
    const { rows } = await sql<{ micros: string; lines: string }>`
      with last as (
        select ts from deployment_logs
        where deployment_id = ${deploymentId} and stream = ${stream}
        order by seq desc limit 1
      )
      select (extract(epoch from last.ts) * 1000000)::bigint::text as micros,
        (select count(*) from deployment_logs d
          where d.deployment_id = ${deploymentId} and d.stream = ${stream} and d.ts = last.ts)::text as lines
      from last`.execute(this.db);
    const row = rows[0];
    return row ? { micros: BigInt(row.micros), lines: Number(row.lines) } : undefined;
  }

  /** Keeps the newest `keep` lines of one stream, deleting older ones; returns how many went. */
  async trim(deploymentId: string, stream: LogStream, keep: number): Promise<number> {
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
    // Log search's chunks (log-search/log-chunker.ts) whose every line is gone now.
    await sql`
      delete from deployment_log_chunks c
      where c.deployment_id = ${deploymentId} and c.last_seq <= ${cutoff.seq}
        and not exists (select 1 from deployment_logs l where l.deployment_id = c.deployment_id and l.seq between c.first_seq and c.last_seq)`.execute(this.db);
    return Number(result.numDeletedRows);
  }
}
