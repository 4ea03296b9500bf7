/**
 * What a deployment's replicas use (CPU, memory against its limit, network in and out), from
 * `GET /api/deployments/:id/metrics`: the API's last 15 minutes, read again every few seconds while it runs.
 */
import { useQuery } from '@tanstack/preact-query';
import { seg, type ApiClient } from '@berth/client/api-client';
import type { operations } from '@berth/client/generated/api';
import type { DeploymentStatus } from '@berth/client/types';
import { MetricChart, type ChartSeries } from './metrics-chart.tsx';
import { keys } from './queries.ts';
import { ErrorBox } from './status-badge.tsx';

type Metrics = operations['getDeploymentMetrics']['responses'][200]['content']['application/json'];
type Point = Metrics['replicas'][number]['points'][number];

/** How often a live deployment's charts are read again, and the range the API answers without a `since`. */
const refreshMs = 5_000;
const apiRangeMs = 15 * 60_000;
const liveStatuses: DeploymentStatus[] = ['starting', 'running', 'crashed'];

// No `since`: the API's default (its last 15 minutes) holds even when this browser's clock is off; a since
// from a clock ahead of the server's would be refused as in the future.
const fetchMetrics = (client: ApiClient, id: string) => client.request<Metrics>('GET', `/api/deployments/${seg(id)}/metrics`);

/** 1536 → "1.5 KiB"; memory and traffic in binary units, as Docker reports limits. */
export function bytesText(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (Math.abs(n) >= 1024 && i < units.length - 1) (n /= 1024), i++;
  return `${n >= 100 || i === 0 ? Math.round(n) : n.toFixed(1)} ${units[i]}`;
}

const coresText = (n: number) => `${n >= 10 ? n.toFixed(0) : n >= 0.1 ? n.toFixed(2) : n.toFixed(3)} cores`;
const rateText = (n: number) => `${bytesText(n)}/s`;

const seriesOf = (m: Metrics, value: (p: Point) => number | null): ChartSeries[] =>
  m.replicas.map((r) => ({ name: r.container, points: r.points.map((p) => ({ at: Date.parse(p.at), value: value(p) })) }));

/** The memory caption: what the replicas hold now, of their limit (added up). */
function memoryLatest(m: Metrics): { text: string; limit: number | undefined } {
  const last = m.replicas.map((r) => r.points.at(-1)).filter((p): p is Point => p !== undefined);
  if (last.length === 0) return { text: '–', limit: undefined };
  const used = last.reduce((a, p) => a + p.memoryBytes, 0);
  const limits = last.reduce((a, p) => a + p.memoryLimitBytes, 0);
  return { text: `${bytesText(used)} of ${bytesText(limits)}`, limit: Math.max(...last.map((p) => p.memoryLimitBytes)) };
}

function Charts({ metrics }: { metrics: Metrics }) {
  // Up to the server's now (its since plus the default range: the server's clock, like the samples' times),
  // from the first sample (not the whole quarter hour: a new deployment's lines would hug the right edge), a minute at least.
  const now = Date.parse(metrics.since) + apiRangeMs;
  const first = Math.min(...metrics.replicas.flatMap((r) => r.points.slice(0, 1).map((p) => Date.parse(p.at))));
  const range = { from: Math.min(Math.max(first, Date.parse(metrics.since)), now - 60_000), to: now };
  const memory = memoryLatest(metrics);
  const restarts = metrics.replicas.reduce((a, r) => a + (r.points.at(-1)?.restarts ?? 0), 0);
  return (
    <>
      <div class="charts">
        <MetricChart title="CPU" {...range} format={coresText} series={seriesOf(metrics, (p) => p.cpu)} />
        <MetricChart
          title="Memory"
          {...range}
          format={bytesText}
          area
          binary
          limit={memory.limit}
          latest={memory.text}
          series={seriesOf(metrics, (p) => p.memoryBytes)}
        />
        <MetricChart title="Network in" {...range} format={rateText} binary series={seriesOf(metrics, (p) => p.netRxBytesPerSecond)} />
        <MetricChart title="Network out" {...range} format={rateText} binary series={seriesOf(metrics, (p) => p.netTxBytesPerSecond)} />
      </div>
      <p class="muted small">
        {metrics.replicas.length} replica{metrics.replicas.length === 1 ? '' : 's'} · a point every {metrics.step} s · {restarts} restart
        {restarts === 1 ? '' : 's'}
      </p>
    </>
  );
}

/** The deployment page's Resources section: charts, "no samples yet", or the API's refusal. */
export function DeploymentMetrics({ client, id, status }: { client: ApiClient; id: string; status: DeploymentStatus }) {
  const live = liveStatuses.includes(status);
  const { data, error } = useQuery({
    queryKey: keys.metrics(id),
    queryFn: () => fetchMetrics(client, id),
    refetchInterval: live ? refreshMs : false,
  });
  const empty = data !== undefined && data.replicas.every((r) => r.points.length === 0);
  return (
    <section aria-labelledby="resources-heading">
      <h2 id="resources-heading">Resources</h2>
      <ErrorBox error={error} />
      {empty && <p class="muted">No samples yet{live ? ': the workers sample running replicas every few seconds.' : '.'}</p>}
      {data && !empty && <Charts metrics={data} />}
    </section>
  );
}
