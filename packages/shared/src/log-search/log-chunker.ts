import { sql } from 'kysely';
import type { Db } from '../db.ts';

export interface LogChunkerOptions {
  /** Lines per chunk: more makes indexing cheaper and each candidate chunk longer to check. */
  chunkLines: number;
  /**
   * Lines younger than this are left for the next pass: a batch of lines is written in
   * one statement, but two batches of one deployment may commit out of seq order
   * (build output and Berth's own lines), and a chunk must never skip a line.
   */
  settleMs: number;
  /**
   * A deployment's last lines short of a full chunk are chunked once it has been quiet
   * this long (a slow logger would otherwise make a chunk of each line).
   */
  quietMs: number;
  /** Deployments whose logs may still grow: active, or changed within this long. */
  activeWithinMs: number;
}

export interface ChunkPass {
  deployments: number;
  chunks: number;
}

/** A backlog (an installation's old logs, a burst) is worked off a bounded piece per deployment per pass. */
const chunksPerPass = 50;

/** One chunker at a time across every worker (the chunks of one deployment must not overlap). */
const chunkerLockKey = 0x6265_7274; // "bert"

/**
 * Groups stored log lines into the chunks log search indexes (migration 0018):
 * consecutive lines of one deployment, `chunkLines` at a time, from where its last
 * chunk ended. A deployment's lines newer than its last chunk are its tail, which
 * searches scan directly, so a line is searchable from the moment it is stored.
 */
export class LogChunker {
  constructor(
    private readonly db: Db,
    private readonly options: LogChunkerOptions,
  ) {}

  /** One pass over every deployment whose logs may have grown; nothing if another worker is in a pass. */
  async run(now = new Date()): Promise<ChunkPass> {
    const changedSince = new Date(now.getTime() - this.options.activeWithinMs);
    // At rest there is nothing to chunk: one statement, no transaction and no lock (three round trips fewer each pass).
    if ((await candidates(this.db, changedSince)).length === 0) return { deployments: 0, chunks: 0 };
    return this.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${chunkerLockKey}) as locked`.execute(trx);
      if (!rows[0]?.locked) return { deployments: 0, chunks: 0 };
      const ids = await candidates(trx, changedSince);
      const before = (ms: number) => new Date(now.getTime() - ms);
      let chunks = 0;
      for (const id of ids) {
        chunks += await chunkDeployment(trx, id, this.options.chunkLines, before(this.options.settleMs), before(this.options.quietMs));
      }
      return { deployments: ids.length, chunks };
    });
  }
}

/**
 * Deployments building or running, and those that changed lately (their last lines),
 * that have lines after their last chunk: a quiet running app costs no statement of
 * its own each pass (both probes are primary-key lookups).
 */
async function candidates(db: Db, changedSince: Date): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select d.id from deployments d
    where (d.status in ('fetching', 'building', 'starting', 'running', 'crashed') or d.updated_at >= ${changedSince})
      and exists (
        select 1 from deployment_logs l
        where l.deployment_id = d.id
          and l.seq > coalesce((select c.last_seq from deployment_log_chunks c where c.deployment_id = d.id order by c.first_seq desc limit 1), 0)
      )`.execute(db);
  return rows.map((r) => r.id);
}

/**
 * Full chunks of the settled lines after the deployment's last chunk; the remainder
 * too once the deployment has been quiet for a while (its newest line is older than `quiet`).
 * Returns how many chunks it made.
 */
async function chunkDeployment(db: Db, id: string, chunkLines: number, settled: Date, quiet: Date): Promise<number> {
  const { rows } = await sql<{ chunks: string }>`
    with mark as (
      select coalesce((select last_seq from deployment_log_chunks where deployment_id = ${id} order by first_seq desc limit 1), 0) as seq
    ),
    pending as (
      select l.seq, l.ts, l.line, row_number() over (order by l.seq) - 1 as n
      from deployment_logs l, mark
      where l.deployment_id = ${id} and l.seq > mark.seq and l.ts <= ${settled}
      order by l.seq limit ${chunkLines * chunksPerPass}
    ),
    newest as (
      select max(l.ts) as ts from deployment_logs l, mark where l.deployment_id = ${id} and l.seq > mark.seq
    ),
    chunkable as (
      select case when newest.ts <= ${quiet} then count(*) else count(*) - count(*) % ${chunkLines} end as lines
      from pending, newest group by newest.ts
    ),
    chunked as (
      insert into deployment_log_chunks (deployment_id, first_seq, last_seq, first_ts, last_ts, body)
      select ${id}, min(seq), max(seq), min(ts), max(ts), string_agg(line, E'\n' order by seq)
      from pending, chunkable
      where n < chunkable.lines
      group by n / ${chunkLines}
      on conflict do nothing
      returning 1
    )
    select count(*)::text as chunks from chunked`.execute(db);
  return Number(rows[0]?.chunks ?? 0);
}
