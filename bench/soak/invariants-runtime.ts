/**
 * The soak's invariants over what it measured while it ran (issue 32): failed app requests, the
 * log viewers' streams, each process's memory and descriptors, the stores' sizes. Pure, as
 * invariants.ts: a unit test hands each one a run that breaks it.
 */
import type { InvariantResult } from './invariants.ts';

export interface FailedRequest {
  project: string;
  /** When it was sent (its first try), ms since the epoch. */
  at: number;
  /** When it ended (a resend's end), ms since the epoch; `at` when unknown. */
  endedAt?: number;
  status: number;
  /** Why there was no status (status 0): ECONNREFUSED, timeout... */
  error?: string;
}

/** A time a request to `project` (or to any app when undefined) may fail, and why. */
export interface ExcuseWindow {
  project?: string;
  from: number;
  to: number;
  why: string;
}

export interface ProcessSample {
  rssBytes: number;
  fds: number;
}

export interface ProcessFacts {
  name: string;
  /** After warm-up (or after its last restart and a warm-up again); undefined when it had no time to warm. */
  warm: ProcessSample | undefined;
  end: ProcessSample | undefined;
  /** At the middle of the watched span, when it was long enough (4 min): RSS is judged on the growth after it. */
  mid?: ProcessSample;
  /** The share of the watched span from `mid` to `end`: the RSS may grow that share of 20 % between them. */
  midShare?: number;
  /** How long the judged incarnation was watched past its warm sample. */
  watchedMs?: number;
  /** How many incarnations (pids) the process had over the run. */
  incarnations?: number;
}

export interface RunFacts {
  requests: number;
  failed: FailedRequest[];
  excuses: ExcuseWindow[];
  /** What the log viewers saw wrong: a seq that was not the one after the last they had. */
  viewerFaults: string[];
  viewerLines: number;
  processes: ProcessFacts[];
  sizes: { name: string; bytes: number; limit: number }[];
}

const shown = (xs: readonly string[]) => (xs.length === 0 ? 'none' : `${xs.slice(0, 4).join(', ')}${xs.length > 4 ? ` (+${xs.length - 4})` : ''}`);
const result = (name: string, faults: string[], okDetail: string): InvariantResult => ({ name, ok: faults.length === 0, detail: faults.length === 0 ? okDetail : shown(faults) });

/** Failed requests to an app only while that app's own release was failing (or its route down on purpose). */
export function failuresExplained(run: RunFacts): InvariantResult {
  // A request in flight when a window opened (sent just before Caddy was killed) overlaps it: excused too.
  const explained = (f: FailedRequest) => run.excuses.some((w) => (w.project === undefined || w.project === f.project) && (f.endedAt ?? f.at) >= w.from && f.at <= w.to);
  const unexplained = run.failed.filter((f) => !explained(f)).map((f) => `${f.project} ${f.error ?? f.status} at ${new Date(f.at).toISOString().slice(11, 23)}`);
  return result('failed requests only while their app was down', unexplained, `${run.requests} requests, ${run.failed.length} failed, all inside an excuse window`);
}

/** Every line each log viewer received came once and in order, across its reconnects. */
export function viewersInOrder(run: RunFacts): InvariantResult {
  return result('log viewers: every line once, in order', run.viewerFaults, `${run.viewerLines} lines streamed`);
}

/** Growth allowed over the warm value: 20 %, and a few descriptors (a handful of sockets on a small base is not a leak). */
const growthLimit = 1.2;
const fdSlack = 4;

export function leakFaults(p: ProcessFacts): string[] {
  if (!p.warm || !p.end) return [];
  const faults: string[] = [];
  const over = p.watchedMs === undefined ? '' : ` over ${minutes(p.watchedMs)}`;
  if (p.mid && p.midShare) {
    // The second half alone (process-samples.ts: judgedValues): a leak of 20 % over the span grows its share of it there; a young generation grown once does not.
    if (p.end.rssBytes > p.mid.rssBytes * (1 + (growthLimit - 1) * p.midShare)) faults.push(`${p.name} RSS ${mb(p.mid.rssBytes)} → ${mb(p.end.rssBytes)} over the second half${over}`);
  } else if (p.end.rssBytes > p.warm.rssBytes * growthLimit) faults.push(`${p.name} RSS ${mb(p.warm.rssBytes)} → ${mb(p.end.rssBytes)}${over}`);
  if (p.end.fds > Math.max(p.warm.fds * growthLimit, p.warm.fds + fdSlack)) faults.push(`${p.name} fds ${p.warm.fds} → ${p.end.fds}${over}`);
  return faults;
}

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;

/** Each process's RSS and open descriptors at the end within 20 % of their value after warm-up. */
export function noLeaks(run: RunFacts): InvariantResult {
  const measured = run.processes.filter((p) => p.warm && p.end);
  const unmeasured = run.processes.filter((p) => !(p.warm && p.end)).map((p) => p.name);
  const watched = (p: ProcessFacts) => (p.watchedMs === undefined ? '' : ` (${minutes(p.watchedMs)}${(p.incarnations ?? 1) > 1 ? ` of ${p.incarnations} pids` : ''})`);
  const detail = `${measured.map((p) => `${p.name} ${mb(p.warm!.rssBytes)}→${mb(p.end!.rssBytes)}/${p.end!.fds}fd${watched(p)}`).join(', ')}${unmeasured.length ? `; not judged (restarted late, or a run under 4 min): ${unmeasured.join(', ')}` : ''}`;
  return result('RSS and fds within 20 % of warm', run.processes.flatMap(leakFaults), detail);
}

/** The database and Redis within their bounds (what retention keeps, with room). */
export function sizesBounded(run: RunFacts): InvariantResult {
  const over = run.sizes.filter((s) => s.bytes > s.limit).map((s) => `${s.name} ${mb(s.bytes)} > ${mb(s.limit)}`);
  return result('DB and Redis sizes bounded', over, run.sizes.map((s) => `${s.name} ${mb(s.bytes)} ≤ ${mb(s.limit)}`).join(', '));
}

export const runInvariants = [failuresExplained, viewersInOrder, noLeaks, sizesBounded];

/** The results as one table (markdown: it goes into BENCHMARKS.md as printed). */
export function invariantTable(results: readonly InvariantResult[]): string {
  const rows = results.map((r) => `| ${r.name} | ${r.ok ? 'holds' : '**BROKEN**'} | ${r.detail.replace(/\|/g, '/')} |`);
  return ['| Invariant | Result | Detail |', '|---|---|---|', ...rows].join('\n');
}
