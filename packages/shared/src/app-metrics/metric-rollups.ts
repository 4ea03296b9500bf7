import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db.ts';
import { sampleRow, type AppSample } from './metric-samples.ts';
import { rollupCutoff, rollupRequests, rollupSamples, stepStart } from './rollup.ts';
import { tallyRow, type DeploymentTally } from './request-metric-store.ts';

/** What one pass did. */
export interface RollupPass {
  /** Full-resolution rows moved into 5-minute rows (deleted from the raw tables). */
  samplesRolled: number;
  requestRowsRolled: number;
  /** Rows of any of the four tables past the retention, deleted. */
  pruned: number;
}

/** Raw rows rolled up per pass, oldest first: an hour of them (a backlog catches up an hour a pass). */
const windowMs = 3600_000;
/** Rows per insert statement (Postgres takes at most 65,535 parameters). */
const insertChunk = 2000;
const rollupLockKey = 0x6265_726d; // "berm"

/**
 * Downsampling and retention of app metrics (samples and request rows): one
 * worker at a time (a transaction-scoped advisory lock; the others skip the
 * pass), every step of it in one transaction, so a row is either raw or
 * rolled up, never both or neither.
 */
export class MetricRollups {
  constructor(private readonly db: Db) {}

  /** Undefined when another worker holds the lock. */
  async run(now: Date, retentionDays: number): Promise<RollupPass | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${rollupLockKey}) as locked`.execute(trx);
      if (!rows[0]?.locked) return undefined;
      // Pruned first: rows past the retention are not worth rolling up.
      const before = new Date(now.getTime() - retentionDays * 24 * 3600_000);
      let pruned = 0;
      for (const table of ['app_metric_samples', 'app_metric_rollups', 'app_request_metrics', 'app_request_rollups'] as const) {
        pruned += Number((await trx.deleteFrom(table).where('at', '<', before).executeTakeFirst()).numDeletedRows);
      }
      const cutoff = rollupCutoff(now);
      const samplesRolled = await rollSamples(trx, cutoff);
      const requestRowsRolled = await rollRequests(trx, cutoff);
      return { samplesRolled, requestRowsRolled, pruned };
    });
  }
}

/** The end of this pass's window in `table`: an hour past its oldest row, and never past the cutoff (none when nothing is old enough). */
async function windowEnd(trx: Transaction<Database>, table: 'app_metric_samples' | 'app_request_metrics', cutoff: Date): Promise<Date | undefined> {
  const oldest = await trx.selectFrom(table).select((eb) => eb.fn.min('at').as('at')).where('at', '<', cutoff).executeTakeFirst();
  if (!oldest?.at) return undefined;
  const end = stepStart(new Date(new Date(oldest.at).getTime() + windowMs));
  return end < cutoff ? end : cutoff;
}

async function rollSamples(trx: Transaction<Database>, cutoff: Date): Promise<number> {
  const end = await windowEnd(trx, 'app_metric_samples', cutoff);
  if (!end) return 0;
  const raw = await trx.deleteFrom('app_metric_samples').where('at', '<', end).returningAll().execute();
  const samples: AppSample[] = raw.map((r) => ({
    deploymentId: r.deployment_id,
    container: r.container,
    at: r.at,
    cpuNs: Number(r.cpu_ns),
    memoryBytes: Number(r.memory_bytes),
    memoryLimitBytes: Number(r.memory_limit_bytes),
    netRxBytes: Number(r.net_rx_bytes),
    netTxBytes: Number(r.net_tx_bytes),
    restarts: r.restarts,
  }));
  const kept = rollupSamples(samples);
  for (let i = 0; i < kept.length; i += insertChunk) {
    await trx
      .insertInto('app_metric_rollups')
      .values(kept.slice(i, i + insertChunk).map(sampleRow))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  return raw.length;
}

async function rollRequests(trx: Transaction<Database>, cutoff: Date): Promise<number> {
  const end = await windowEnd(trx, 'app_request_metrics', cutoff);
  if (!end) return 0;
  const raw = await trx.deleteFrom('app_request_metrics').where('at', '<', end).returningAll().execute();
  const rows: DeploymentTally[] = raw.map((r) => ({
    deploymentId: r.deployment_id,
    at: r.at,
    tally: {
      requests: r.requests,
      status: { '2xx': r.status_2xx, '3xx': r.status_3xx, '4xx': r.status_4xx, '5xx': r.status_5xx },
      latency: r.latency_counts.map(Number),
    },
  }));
  const sums = rollupRequests(rows);
  for (let i = 0; i < sums.length; i += insertChunk) {
    await trx
      .insertInto('app_request_rollups')
      .values(sums.slice(i, i + insertChunk).map(tallyRow))
      // A late row for 5 minutes already rolled up: added to them.
      .onConflict((oc) =>
        oc.columns(['deployment_id', 'at']).doUpdateSet({
          requests: sql`app_request_rollups.requests + excluded.requests`,
          status_2xx: sql`app_request_rollups.status_2xx + excluded.status_2xx`,
          status_3xx: sql`app_request_rollups.status_3xx + excluded.status_3xx`,
          status_4xx: sql`app_request_rollups.status_4xx + excluded.status_4xx`,
          status_5xx: sql`app_request_rollups.status_5xx + excluded.status_5xx`,
          latency_counts: sql`array(select coalesce(a, 0) + coalesce(b, 0) from unnest(app_request_rollups.latency_counts, excluded.latency_counts) as u(a, b))`,
        }),
      )
      .execute();
  }
  return raw.length;
}
