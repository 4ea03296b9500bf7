/**
 * Each of the soak platform's processes' RSS and open descriptors (from /proc), sampled on a timer:
 * the first sample of an incarnation past the warm-up is its baseline; a restart (a new pid) starts a
 * new incarnation with its own warm-up. Of a process's incarnations, the one watched longest past its
 * baseline is judged (its last sample before it died or the run ended): a leak shows over minutes,
 * and one restarted near the end shows only its heap still growing. Caddy, Redis and Postgres are
 * found by their port.
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
}

/** How long an incarnation was watched past its baseline (ms); -1 without one. */
const watchedMs = (inc: Incarnation) => (inc.warmAt === undefined || inc.lastAt === undefined ? -1 : inc.lastAt - inc.warmAt);

/** One process's facts: of its incarnations, the one watched longest past its baseline. */
export function judgedIncarnation(name: string, all: readonly Incarnation[]): ProcessFacts {
  const inc = all.reduce((best, i) => (watchedMs(i) > watchedMs(best) ? i : best));
  return { name, warm: inc.warm, end: inc.last, ...(inc.warm ? { watchedMs: watchedMs(inc) } : {}), incarnations: all.length };
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
