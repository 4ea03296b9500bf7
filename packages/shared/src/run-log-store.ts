import { sql } from 'kysely';
import type { Db } from './db.ts';
import type { LogLine, LogStream } from './log-line.ts';

/** Postgres' code for a foreign key violation: here, lines of a run that was deleted. */
const foreignKeyViolation = '23503';

/**
 * Runs' stored output (run_logs), with the calls of LogStore that the log sink and the event feed
 * use: a run's lines are numbered, stored and streamed exactly like a deployment's.
 */
export class RunLogStore {
  constructor(private readonly db: Db) {}

  /**
   * Idempotent: a batch written twice (a retried flush) keeps one copy of each line. A run deleted
   * meanwhile (its job or project removed while it ran) takes its lines with it: they are dropped,
   * not retried (the log sink would retry a failed batch for a minute).
   */
  async append(runId: string, lines: readonly LogLine[]): Promise<void> {
    if (lines.length === 0) return;
    await this.insert(runId, lines).catch((err: unknown) => {
      if ((err as { code?: string }).code !== foreignKeyViolation) throw err;
    });
  }

  private async insert(runId: string, lines: readonly LogLine[]): Promise<void> {
    await sql`
      insert into run_logs (run_id, seq, ts, stream, line)
      select ${runId}, * from unnest(
        ${lines.map((l) => l.seq)}::bigint[],
        ${lines.map((l) => l.ts)}::timestamptz[],
        ${lines.map((l) => l.stream)}::text[],
        ${lines.map((l) => l.line)}::text[]
      )
      on conflict (run_id, seq) do nothing`.execute(this.db);
  }

  async read(runId: string, options: { afterSeq?: number; limit?: number; stream?: LogStream | undefined } = {}): Promise<LogLine[]> {
    let q = this.db
      .selectFrom('run_logs')
      .select(['seq', 'ts', 'stream', 'line'])
      .where('run_id', '=', runId)
      .where('seq', '>', options.afterSeq ?? 0);
    if (options.stream) q = q.where('stream', '=', options.stream);
    const rows = await q.orderBy('seq').limit(options.limit ?? 10_000).execute();
    return rows.map((r) => ({ seq: Number(r.seq), ts: r.ts instanceof Date ? r.ts.toISOString() : String(r.ts), stream: r.stream, line: r.line }));
  }

  async maxSeq(runId: string): Promise<number> {
    const row = await this.db.selectFrom('run_logs').select((eb) => eb.fn.max('seq').as('max')).where('run_id', '=', runId).executeTakeFirst();
    return Number(row?.max ?? 0);
  }
}
