import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db.ts';
import { rawKeptMs } from './rollup.ts';
import { addTally, emptyTally, latencyBoundsSeconds, quantileOf, type RequestTally } from './request-histogram.ts';

/** What one deployment got over one interval (router-sync's tally, as stored). */
export interface DeploymentTally {
  deploymentId: string;
  at: Date;
  tally: RequestTally;
}

/** One step of a project's requests: counts, rate and latency percentiles (seconds, upper bounds; null with no requests). */
export interface RequestPoint {
  at: string;
  requests: number;
  requestsPerSecond: number;
  status: RequestTally['status'];
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

interface StepRow {
  bucket: Date;
  requests: string;
  s2: string;
  s3: string;
  s4: string;
  s5: string;
  latency: number[];
}

/** Request metrics router-sync writes and the API reads (table app_request_metrics, migration 0021). */
export class RequestMetricStore {
  constructor(private readonly db: Db) {}

  async insert(rows: readonly DeploymentTally[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db
      .insertInto('app_request_metrics')
      .values(rows.map(tallyRow))
      .execute();
  }

  /** A project's requests (all its deployments) since `since`, one point per `stepSeconds` that saw any. */
  series(project: string, since: Date, stepSeconds: number): Promise<RequestPoint[]> {
    return this.seriesWhere(sql`d.project = ${project}`, since, stepSeconds);
  }

  /** One deployment's requests, the same way. */
  deploymentSeries(deploymentId: string, since: Date, stepSeconds: number): Promise<RequestPoint[]> {
    return this.seriesWhere(sql`r.deployment_id = ${deploymentId}`, since, stepSeconds);
  }

  private async seriesWhere(scope: RawBuilder<unknown>, since: Date, stepSeconds: number): Promise<RequestPoint[]> {
    const step = `${stepSeconds} seconds`;
    // Histograms add up bucket by bucket: unnest each row's counts with their index, sum per step and index.
    const { rows } = await sql<StepRow>`
      with steps as (
        select date_bin(${step}::interval, r.at, timestamptz 'epoch') as bucket, r.*
        from ${requestSource(since)} r join deployments d on d.id = r.deployment_id
        where ${scope} and r.at >= ${since}
      ),
      latency as (
        select bucket, array_agg(n order by i) as latency
        from (select bucket, i, sum(n)::integer as n from steps, unnest(latency_counts) with ordinality as u(n, i) group by bucket, i) per_bucket
        group by bucket
      )
      select s.bucket, sum(requests) as requests, sum(status_2xx) as s2, sum(status_3xx) as s3, sum(status_4xx) as s4, sum(status_5xx) as s5, l.latency
      from steps s join latency l using (bucket)
      group by s.bucket, l.latency
      order by s.bucket`.execute(this.db);
    return rows.map((r) => pointOf(r, stepSeconds));
  }

  /** Deletes rows older than `before`; how many went. */
  async prune(before: Date): Promise<number> {
    const result = await this.db.deleteFrom('app_request_metrics').where('at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

/** A deployment's tally as a row of app_request_metrics (or app_request_rollups: the same columns). */
export function tallyRow({ deploymentId, at, tally }: DeploymentTally) {
  return {
    deployment_id: deploymentId,
    at,
    requests: tally.requests,
    status_2xx: tally.status['2xx'],
    status_3xx: tally.status['3xx'],
    status_4xx: tally.status['4xx'],
    status_5xx: tally.status['5xx'],
    latency_counts: tally.latency,
  };
}

/** The raw rows, and the 5-minute rollups too when the range reaches past a day (rollup.ts). */
function requestSource(since: Date) {
  if (since.getTime() >= Date.now() - rawKeptMs) return sql`app_request_metrics`;
  return sql`(select * from app_request_rollups union all select * from app_request_metrics)`;
}

function pointOf(r: StepRow, stepSeconds: number): RequestPoint {
  const tally = addTally(emptyTally(), {
    requests: Number(r.requests),
    status: { '2xx': Number(r.s2), '3xx': Number(r.s3), '4xx': Number(r.s4), '5xx': Number(r.s5) },
    latency: r.latency.map(Number),
  });
  const finite = (q: number) => {
    const v = quantileOf(tally.latency, q);
    // Past the last bound (over a minute): that bound, the most the histogram can say ("65 s or more").
    return v === Infinity ? latencyBoundsSeconds.at(-1)! : v;
  };
  return {
    at: r.bucket.toISOString(),
    requests: tally.requests,
    requestsPerSecond: tally.requests / stepSeconds,
    status: tally.status,
    p50: finite(0.5),
    p95: finite(0.95),
    p99: finite(0.99),
  };
}
