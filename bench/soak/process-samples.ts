/**
 * Each of the soak platform's processes' RSS and open descriptors (from /proc), sampled on a timer:
 * the first sample of an incarnation past the warm-up is its baseline; a restart (a new pid) starts a
 * new incarnation, judged from its own warm-up. Caddy, Redis and Postgres are found by their port.
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

interface Incarnation {
  pid: number;
  seenAt: number;
  warm?: ProcessSample;
  last?: ProcessSample;
}

export class ProcessSampler {
  private readonly incarnations = new Map<string, Incarnation>();
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
      let inc = this.incarnations.get(name);
      if (!inc || inc.pid !== pid) this.incarnations.set(name, (inc = { pid, seenAt: now }));
      const s = sampleProcess(pid);
      if (!s) continue;
      inc.last = s;
      if (!inc.warm && now >= this.warmAt && now >= inc.seenAt + this.warmupMs) inc.warm = s;
    }
  }

  start(everyMs: number): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  /** A last sample of each, with its baseline. */
  finish(): ProcessFacts[] {
    clearInterval(this.timer);
    this.sample();
    return [...this.incarnations].map(([name, inc]) => ({ name, warm: inc.warm, end: inc.last }));
  }
}
