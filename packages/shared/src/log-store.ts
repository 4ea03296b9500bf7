import { sql } from 'kysely';
import type { Db } from './db.ts';
import type { LogLine, LogStream } from './log-line.ts';

/** Deployments' stored log lines (build, runtime and Berth's own). */
export class LogStore {
  constructor(private readonly db: Db) {}

  /**
   * Idempotent: a batch written twice (a retried flush) keeps one copy of each
   * line. One statement with array parameters (unnest) instead of thousands of
   * VALUES placeholders: several times faster for big batches.
   */
  async append(deploymentId: string, lines: readonly LogLine[]): Promise<void> {
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

  /** Timestamp of the newest stored line of one stream (where a runtime log follower resumes). */
  async lastTs(deploymentId: string, stream: LogStream): Promise<Date | undefined> {
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
    return Number(result.numDeletedRows);
  }
}
