/**
 * A small line chart in inline SVG (no chart library): one line per series over a time range, an optional
 * limit drawn dashed, the newest value beside the title, and the axis labels (top value, time span) as text
 * outside the drawing so they stay readable at any width.
 */

/** One sample; `value` null is a gap (no rate for a replica's first sample, or across a restart). */
export interface ChartPoint {
  at: number;
  value: number | null;
}

export interface ChartSeries {
  name: string;
  points: ChartPoint[];
  /** Its colour class when it has one of its own (a status class); else the series' place picks one. */
  tone?: string;
}

export interface MetricChartProps {
  title: string;
  series: ChartSeries[];
  /** The time range drawn, as milliseconds since the epoch. */
  from: number;
  to: number;
  format: (value: number) => string;
  /** What the title shows as the newest value (default: the series' newest values added up). */
  latest?: string;
  /** A ceiling drawn dashed (a memory limit); left out when it would flatten the lines. */
  limit?: number;
  /** Filled under each line (memory: how much of the limit is used). */
  area?: boolean;
  /** Values are bytes: the axis top is a round number of KiB, MiB… */
  binary?: boolean;
  /** What one line is, for the labels (default: a replica). */
  kind?: string;
}

const width = 300;
const height = 100;
/** A limit further above the lines than this is written, not drawn. */
const limitHeadroom = 4;

/** The newest non-null value of a series. */
export const newest = (s: ChartSeries): number | null => s.points.findLast((p) => p.value !== null)?.value ?? null;

/** The top of the value axis: a little above the highest value (or the limit when it is close). */
function topOf(series: ChartSeries[], limit: number | undefined, binary: boolean): { top: number; drawLimit: boolean } {
  const highest = Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.value ?? 0)));
  const drawLimit = limit !== undefined && limit > 0 && limit <= Math.max(highest, Number.MIN_VALUE) * limitHeadroom;
  // A drawn limit is the top (nothing goes past a memory limit); else a round number above the highest value.
  if (drawLimit && limit >= highest) return { top: limit, drawLimit };
  return { top: highest > 0 ? niceCeiling(highest * 1.1, binary) : 1, drawLimit };
}

/** The round number (1, 2, 2.5 or 5 times a power of ten, of the unit's power of 1024 when `binary`) at or above `n`. */
function niceCeiling(n: number, binary: boolean): number {
  const unit = binary ? 1024 ** Math.max(0, Math.floor(Math.log(n) / Math.log(1024))) : 1;
  const power = 10 ** Math.floor(Math.log10(n / unit));
  return ([1, 2, 2.5, 5, 10].find((m) => m * power * unit >= n) ?? 10) * power * unit;
}

/** The SVG path of one series: segments broken at gaps. */
function pathOf(points: ChartPoint[], x: (at: number) => number, y: (v: number) => number, area: boolean): string {
  const runs: ChartPoint[][] = [[]];
  for (const p of points) {
    if (p.value === null) runs.push([]);
    else runs.at(-1)!.push(p);
  }
  return runs
    .filter((run) => run.length > 0)
    .map((run) => {
      const line = run.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.at).toFixed(1)},${y(p.value!).toFixed(1)}`).join(' ');
      // A lone sample is drawn as a short flat stroke so it shows.
      const dot = run.length === 1 ? ` h2` : '';
      return area ? `${line}${dot} V${height} H${x(run[0]!.at).toFixed(1)} Z` : `${line}${dot}`;
    })
    .join(' ');
}

const toneOf = (s: ChartSeries, i: number) => s.tone ?? `series-${i % 4}`;

/** "15 min", "2 h": how long the range drawn is. */
export function spanText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return `${Math.max(1, Math.round(ms / 1000))} s`;
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}

export function MetricChart({ title, series, from, to, format, latest, limit, area = false, binary = false, kind = 'replica' }: MetricChartProps) {
  const { top, drawLimit } = topOf(series, limit, binary);
  const span = Math.max(1, to - from);
  const x = (at: number) => Math.min(width, Math.max(0, ((at - from) / span) * width));
  const y = (v: number) => height - (v / top) * height;
  const values = series.map(newest).filter((v): v is number => v !== null);
  const shown = latest ?? (values.length > 0 ? format(values.reduce((a, b) => a + b, 0)) : '–');
  return (
    <figure class="chart" aria-label={title}>
      <figcaption class="chart-title">
        <span class="strong">{title}</span> <span class="chart-latest" aria-label={`${title} now`}>{shown}</span>
      </figcaption>
      <div class="chart-plot">
        <span class="chart-top muted small" aria-label={`${title} axis top`}>{format(top)}</span>
        <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img" aria-label={`${title}: ${series.length} ${kind} line(s)`}>
          <line class="chart-grid" x1={0} y1={height / 2} x2={width} y2={height / 2} vector-effect="non-scaling-stroke" />
          {area && series.map((s, i) => <path key={`${s.name} area`} class={`chart-area ${toneOf(s, i)}`} d={pathOf(s.points, x, y, true)} />)}
          {series.map((s, i) => (
            <path key={s.name} class={`chart-line ${toneOf(s, i)}`} data-series={s.name} d={pathOf(s.points, x, y, false)} vector-effect="non-scaling-stroke" />
          ))}
          {drawLimit && limit !== undefined && (
            <line class="chart-limit" x1={0} y1={y(limit)} x2={width} y2={y(limit)} vector-effect="non-scaling-stroke" />
          )}
        </svg>
        <div class="chart-axis muted small">
          <span>{spanText(span)} ago</span>
          {limit !== undefined && <span class="chart-limit-text">limit {format(limit)}</span>}
          <span>now</span>
        </div>
      </div>
      {series.length > 1 && (
        <ul class="chart-legend small" aria-label={`${title} ${kind === 'replica' ? 'replicas' : 'lines'}`}>
          {series.map((s, i) => {
            const v = newest(s);
            return (
              <li key={s.name}>
                <span class={`swatch ${toneOf(s, i)}`} /> <span class="replica-name">{s.name}</span> {v === null ? '–' : format(v)}
              </li>
            );
          })}
        </ul>
      )}
    </figure>
  );
}
