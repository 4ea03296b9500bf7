/**
 * Each of the soak platform's processes' RSS and open descriptors (from /proc), sampled on a timer:
 * the first sample of an incarnation past the warm-up is its baseline; a restart (a new pid) starts a
 * new incarnation with its own warm-up. Of a process's incarnations, the one watched longest past its
 * baseline is judged (the minute's medians after its warm-up, at its middle and before it died or the
 * run ended: judgedValues): a leak shows over minutes, and one restarted near the end shows only its
 * heap still growing. Caddy, Redis and Postgres are found by their port.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { ProcessFacts, ProcessSample } from './invariants-runtime.ts';
import type { SoakPlatform } from './platform.ts';

export function sampleProcess(pid: number): ProcessSample | undefined {
  try {
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return { rssBytes: Number(rss) * 1024, fds: readdirSync(`/proc/${pid}/fd`).length };
  } catch {
    return undefined; // gone between the listing and the read
  }
}

/** The pid listening on a loopback port (ss), or undefined. */
export function pidOnPort(port: number): number | undefined {
  try {
    const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`]).toString();
    const pid = /pid=(\d+)/.exec(out)?.[1];
    return pid ? Number(pid) : undefined;
  } catch {
    return undefined;
  }
}

const portOf = (url: string) => Number(new URL(url).port);

/** The soak platform's processes now: name → pid. */
export function platformPids(platform: SoakPlatform): Map<string, number | undefined> {
  return new Map<string, number | undefined>([
    ...platform.programs.map((p) => [p.name, p.program.child.pid] as [string, number | undefined]),
    ['caddy', pidOnPort(portOf(platform.caddy.adminUrl))],
    ['redis', pidOnPort(portOf(platform.env.REDIS_URL!))],
    ['postgres', pidOnPort(portOf(platform.env.DATABASE_URL!))],
  ]);
}

export interface Incarnation {
  pid: number;
  seenAt: number;
  warm?: ProcessSample;
  warmAt?: number;
  last?: ProcessSample;
  lastAt?: number;
  /** Every sample from the warm one on, for the medians the judgement compares. */
  samples?: { at: number; sample: ProcessSample }[];
}

/**
 * RSS swings by tens of MB between collections (the API: 375-405 MB within a minute), so a minute's
 * median is compared, not one reading. Watched long enough, RSS is also taken at the middle: a node
 * process's V8 heap grows to its working size under load once and keeps the pages (issue 32's API: new
 * space 1 → 128 MB, old space swinging 42-158 MB, RSS 280 → ~390 MB, while its heap after a full GC
 * stayed at 44-49 MB), so growth that goes on past the middle is what a leak shows (leakFaults).
 */
const windowMs = 60_000;
const midFromMs = 4 * 60_000;

function medianOf(samples: readonly { at: number; sample: ProcessSample }[], from: number, to: number): ProcessSample | undefined {
  const inside = samples.filter((x) => x.at >= from && x.at <= to).map((x) => x.sample);
  if (inside.length === 0) return undefined;
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { rssBytes: median(inside.map((x) => x.rssBytes)), fds: median(inside.map((x) => x.fds)) };
}

/** An incarnation's warm, middle and end values: the medians of a minute's samples at each (single samples without them). */
function judgedValues(inc: Incarnation): Pick<ProcessFacts, 'warm' | 'mid' | 'midShare' | 'end'> {
  const samples = inc.samples ?? [];
  if (!inc.warm || inc.warmAt === undefined || inc.lastAt === undefined || samples.length === 0) return { warm: inc.warm, end: inc.last };
  const span = inc.lastAt - inc.warmAt;
  const middle = inc.warmAt + span / 2;
  const mid = span >= midFromMs ? medianOf(samples, middle - windowMs / 2, middle + windowMs / 2) : undefined;
  return {
    warm: medianOf(samples, inc.warmAt, inc.warmAt + windowMs) ?? inc.warm,
    // The medians stand for the windows' centres: the middle one's is (span / 2 - half a window) before the end one's.
    ...(mid ? { mid, midShare: (span / 2 - windowMs / 2) / span } : {}),
    end: medianOf(samples, inc.lastAt - windowMs, inc.lastAt) ?? inc.last,
  };
}

/** How long an incarnation was watched past its baseline (ms); -1 without one. */
const watchedMs = (inc: Incarnation) => (inc.warmAt === undefined || inc.lastAt === undefined ? -1 : inc.lastAt - inc.warmAt);

/** One process's facts: of its incarnations, the one watched longest past its baseline. */
export function judgedIncarnation(name: string, all: readonly Incarnation[]): ProcessFacts {
  const inc = all.reduce((best, i) => (watchedMs(i) > watchedMs(best) ? i : best));
  return { name, ...judgedValues(inc), ...(inc.warm ? { watchedMs: watchedMs(inc) } : {}), incarnations: all.length };
}

export class ProcessSampler {
  /** Each process's incarnations, the newest last. */
  private readonly incarnations = new Map<string, Incarnation[]>();
  private timer: NodeJS.Timeout | undefined;

  /** `warmAt`: no baseline before it; `warmupMs`: how long a new incarnation runs before its baseline. */
  constructor(
    private readonly platform: SoakPlatform,
    private readonly warmAt: number,
    private readonly warmupMs: number,
  ) {}

  sample(): void {
    const now = Date.now();
    for (const [name, pid] of platformPids(this.platform)) {
      if (!pid) continue;
      const all = this.incarnations.get(name) ?? [];
      this.incarnations.set(name, all);
      let inc = all.at(-1);
      if (!inc || inc.pid !== pid) all.push((inc = { pid, seenAt: now }));
      const s = sampleProcess(pid);
      if (!s) continue;
      inc.last = s;
      inc.lastAt = now;
      if (!inc.warm && now >= this.warmAt && now >= inc.seenAt + this.warmupMs) {
        inc.warm = s;
        inc.warmAt = now;
      }
      if (inc.warm) (inc.samples ??= []).push({ at: now, sample: s });
    }
  }

  start(everyMs: number): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  /** Each process's incarnation watched longest past its baseline: that baseline and its last sample. */
  finish(): ProcessFacts[] {
    clearInterval(this.timer);
    this.sample();
    return [...this.incarnations].map(([name, all]) => judgedIncarnation(name, all));
  }
}
