/**
 * Requests through Caddy to a deployment or to a whole project (requests a second by status class, and
 * p50/p95/p99 latency), from `GET /api/deployments/:id/request-metrics` or `GET /api/projects/:name/request-metrics`:
 * the API's last 15 minutes, read again every few seconds while `live`. Drawn like the Resources charts.
 */
import { useQuery } from '@tanstack/preact-query';
import { seg, type ApiClient } from '@berth/client/api-client';
import type { operations } from '@berth/client/generated/api';
import { MetricChart, type ChartSeries } from './metrics-chart.tsx';
import { keys } from './queries.ts';
import { ErrorBox } from './status-badge.tsx';

type Traffic = operations['getProjectRequestMetrics']['responses'][200]['content']['application/json'];
type Point = Traffic['points'][number];
type StatusClass = keyof Point['status'];

/** Whose requests: one deployment's, or every deployment's of a project. */
export type RequestScope = { deployment: string } | { project: string };

const refreshMs = 5_000;
const apiRangeMs = 15 * 60_000;

/** Each class keeps its colour whatever else shows: success green, redirects blue, client errors orange, server errors red. */
const classTones: Record<StatusClass, string> = { '2xx': 'series-2', '3xx': 'series-0', '4xx': 'series-1', '5xx': 'series-error' };
/** Latency lines: the median blue, the tail warmer (no green: green reads as "fine"); p99 dashed, as it often lies on p95. */
const quantileTones = { p50: 'series-0', p95: 'series-1', p99: 'series-3 dashed' } as const;
const quantiles = Object.keys(quantileTones) as (keyof typeof quantileTones)[];

// No `since`, as for the Resources charts: the API's default range holds whatever this browser's clock says.
const pathOf = (scope: RequestScope) =>
  'deployment' in scope ? `/api/deployments/${seg(scope.deployment)}/request-metrics` : `/api/projects/${seg(scope.project)}/request-metrics`;

/** 0.5 → "0.50 req/s", 12.34 → "12.3 req/s". */
export const requestRateText = (n: number) => `${n >= 100 ? Math.round(n) : n >= 10 ? n.toFixed(1) : n.toFixed(2)} req/s`;

/** Seconds as the latency charts write them: "1.4 ms", "180 ms", "2.5 s". */
export function latencyText(s: number): string {
  if (s < 0.01) return `${(s * 1000).toFixed(1)} ms`;
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  return `${s >= 10 ? Math.round(s) : s.toFixed(1)} s`;
}

/**
 * The steps drawn: every step from the first that saw requests to the server's now (a step with no point had no
 * requests). The step still under way is left out when there are others: its rate would read low until it ends.
 */
function stepsOf(t: Traffic, now: number): { at: number; point: Point | undefined }[] {
  const stepMs = t.step * 1000;
  const byTime = new Map(t.points.map((p) => [Date.parse(p.at), p]));
  const first = t.points.length > 0 ? Date.parse(t.points[0]!.at) : now;
  const out: { at: number; point: Point | undefined }[] = [];
  // Each step is drawn at its end, when all of it has been counted: the newest reaches "now".
  for (let at = first; at <= now; at += stepMs) out.push({ at: Math.min(at + stepMs, now), point: byTime.get(at) });
  // The step under way goes unless it is all there is (the first requests of a quiet app).
  if (out.length > 1 && out.at(-1)!.at === now) out.pop();
  return out;
}

function Charts({ traffic }: { traffic: Traffic }) {
  const now = Date.parse(traffic.since) + apiRangeMs;
  const steps = stepsOf(traffic, now);
  const range = { from: Math.min(steps[0]?.at ?? now, now - 60_000), to: now };
  const rates: ChartSeries[] = (Object.keys(classTones) as StatusClass[]).map((c) => ({
    name: c,
    tone: classTones[c],
    points: steps.map(({ at, point }) => ({ at, value: (point?.status[c] ?? 0) / traffic.step })),
  }));
  // No requests in a step: no latency to draw (a gap, not a zero).
  const latency: ChartSeries[] = quantiles.map((q) => ({ name: q, tone: quantileTones[q], points: steps.map(({ at, point }) => ({ at, value: point?.[q] ?? null })) }));
  const p95 = latency[1]!.points.findLast((p) => p.value !== null)?.value;
  const total = traffic.points.reduce((n, p) => n + p.requests, 0);
  const errors = traffic.points.reduce((n, p) => n + p.status['5xx'], 0);
  return (
    <>
      <div class="charts">
        <MetricChart title="By status class" {...range} format={requestRateText} kind="status class" series={rates} />
        <MetricChart title="Latency" {...range} format={latencyText} kind="percentile" latest={p95 == null ? '–' : `p95 ${latencyText(p95)}`} series={latency} />
      </div>
      <p class="muted small">
        {total} request{total === 1 ? '' : 's'} · {total === 0 ? 0 : Math.round((errors / total) * 1000) / 10} % answered 5xx · a point every {traffic.step} s
      </p>
    </>
  );
}

/** A Requests section: charts, "no requests yet", or the API's refusal. */
export function RequestMetrics({ client, scope, live }: { client: ApiClient; scope: RequestScope; live: boolean }) {
  const { data, error } = useQuery({
    queryKey: keys.requestMetrics(scope),
    queryFn: () => client.request<Traffic>('GET', pathOf(scope)),
    refetchInterval: live ? refreshMs : false,
  });
  const empty = data !== undefined && data.points.length === 0;
  return (
    <section aria-labelledby="requests-heading">
      <h2 id="requests-heading">Requests</h2>
      <ErrorBox error={error} />
      {empty && <p class="muted">No requests in the last 15 minutes{live ? ': they show here as Caddy serves them.' : '.'}</p>}
      {data && !empty && <Charts traffic={data} />}
    </section>
  );
}
