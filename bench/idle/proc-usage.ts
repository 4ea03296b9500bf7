/**
 * What a process costs at rest, from /proc: CPU time (utime + stime of /proc/<pid>/stat, all its
 * threads), RSS, and wake-ups, counted as context switches (voluntary + involuntary): a process that
 * sleeps until a timer or a socket wakes it switches in once per wake-up (a voluntary switch; the
 * involuntary ones are preemptions, many on a loaded machine, so the main thread's voluntary ones are
 * shown apart too). /proc/<pid>/status counts
 * the main thread's only (where JavaScript's timers run); /proc/<pid>/task/<tid>/status, summed, every
 * thread's (libuv's pool, V8's GC and compiler threads). Parsing and arithmetic are pure (unit-tested:
 * test/unit/bench-idle-usage.test.ts); `readUsage` is the only part that reads /proc.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface Usage {
  /** Clock ticks of CPU (user + system), every thread. */
  cpuTicks: number;
  rssBytes: number;
  /** Context switches of the main thread, and of all threads present when read. */
  mainSwitches: number;
  /** Of the main thread's, the voluntary ones: it slept until a timer, a socket or a lock woke it (the rest: preempted, which a loaded machine inflates). */
  mainVoluntary: number;
  allSwitches: number;
  threads: number;
}

/** utime + stime (fields 14 and 15) of a /proc/<pid>/stat line; the name in parentheses may hold spaces or parentheses. */
export function parseStatTicks(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).trim().split(/\s+/);
  // fields[0] is field 3 (state): field n is fields[n - 3].
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`not a /proc stat line: ${stat.slice(0, 80)}`);
  return utime + stime;
}

/** The parent pid (field 4) of a /proc/<pid>/stat line. */
export function parseStatParent(stat: string): number {
  return Number(stat.slice(stat.lastIndexOf(')') + 2).trim().split(/\s+/)[1]);
}

/** VmRSS (bytes), voluntary + nonvoluntary context switches and the voluntary ones alone, of a /proc/<pid>/status text. */
export function parseStatus(status: string): { rssBytes: number; switches: number; voluntary: number } {
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  const voluntary = field('voluntary_ctxt_switches');
  return { rssBytes: field('VmRSS') * 1024, switches: voluntary + field('nonvoluntary_ctxt_switches'), voluntary };
}

/** The kernel's clock ticks per second (USER_HZ; 100 on nearly every Linux). */
export function ticksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
}

/** `pid`'s usage now, or undefined when it is gone. */
export function readUsage(pid: number): Usage | undefined {
  try {
    const main = parseStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
    let allSwitches = 0;
    const tids = readdirSync(`/proc/${pid}/task`);
    for (const tid of tids) {
      try {
        allSwitches += parseStatus(readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8')).switches;
      } catch {
        // a thread that ended between the listing and the read
      }
    }
    const cpuTicks = parseStatTicks(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return { cpuTicks, rssBytes: main.rssBytes, mainSwitches: main.switches, mainVoluntary: main.voluntary, allSwitches, threads: tids.length };
  } catch {
    return undefined;
  }
}

/** The processes whose parent is `pid` now (Postgres's backends, one per connection). */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (parseStatParent(readFileSync(`/proc/${entry}/stat`, 'utf8')) === pid) children.push(Number(entry));
    } catch {
      // gone between the listing and the read
    }
  }
  return children;
}

const zero: Usage = { cpuTicks: 0, rssBytes: 0, mainSwitches: 0, mainVoluntary: 0, allSwitches: 0, threads: 0 };
const plus = (a: Usage, b: Usage): Usage => ({
  cpuTicks: a.cpuTicks + b.cpuTicks,
  rssBytes: a.rssBytes + b.rssBytes,
  mainSwitches: a.mainSwitches + b.mainSwitches,
  mainVoluntary: a.mainVoluntary + b.mainVoluntary,
  allSwitches: a.allSwitches + b.allSwitches,
  threads: a.threads + b.threads,
});

/**
 * A group of processes (Postgres and its backends) as one: the sums, at the start and the end, of
 * the processes seen at both (one that came or went in between is left out of both sums).
 */
export function pairedSums(start: ReadonlyMap<number, Usage>, end: ReadonlyMap<number, Usage>): [Usage, Usage] {
  let before = zero;
  let after = zero;
  for (const [pid, s] of start) {
    const e = end.get(pid);
    if (!e) continue;
    before = plus(before, s);
    after = plus(after, e);
  }
  return [before, after];
}

export interface UsageRow {
  name: string;
  ours: boolean;
  /** Percent of one core over the window. */
  cpuPercent: number;
  rssStartMb: number;
  rssEndMb: number;
  /** Wake-ups per second: main thread, all threads. */
  mainWakeups: number;
  /** Of the main thread's, the voluntary ones per second (sleeps ended by a timer, a socket or a lock). */
  mainVoluntaryWakeups: number;
  allWakeups: number;
  threads: number;
  /** Times per second the main thread left its sleep, a burst of replies counted once (wake-spells.ts); undefined when not sampled. */
  spells?: number;
}

/** One process's row from its usage at the start and the end of a `seconds` window. */
export function usageRow(name: string, ours: boolean, start: Usage, end: Usage, seconds: number, hz: number, spells?: number): UsageRow {
  const mb = (bytes: number) => bytes / (1024 * 1024);
  return {
    name,
    ours,
    cpuPercent: ((end.cpuTicks - start.cpuTicks) / hz / seconds) * 100,
    rssStartMb: mb(start.rssBytes),
    rssEndMb: mb(end.rssBytes),
    mainWakeups: (end.mainSwitches - start.mainSwitches) / seconds,
    mainVoluntaryWakeups: (end.mainVoluntary - start.mainVoluntary) / seconds,
    // Threads that ended in the window took their counts along: never below zero.
    allWakeups: Math.max(0, end.allSwitches - start.allSwitches) / seconds,
    threads: end.threads,
    spells: spells === undefined ? undefined : spells / seconds,
  };
}

/** The table (markdown, as BENCHMARKS.md keeps it). */
export function usageTable(rows: readonly UsageRow[]): string {
  const lines = [
    '| process | ours | CPU % of one core | RSS start → end | wake spells/s | switches/s main thread | of which voluntary | switches/s all threads (threads) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const rss = `${r.rssStartMb.toFixed(0)} → ${r.rssEndMb.toFixed(0)} MB`;
    lines.push(`| ${r.name} | ${r.ours ? 'yes' : 'no'} | ${r.cpuPercent.toFixed(2)} | ${rss} | ${spellText(r)} | ${r.mainWakeups.toFixed(2)} | ${r.mainVoluntaryWakeups.toFixed(2)} | ${r.allWakeups.toFixed(2)} (${r.threads}) |`);
  }
  return lines.join('\n');
}

const spellText = (r: UsageRow) => (r.spells === undefined ? 'n/a' : r.spells.toFixed(2));

/**
 * The two goal lines: Berth's processes' CPU together, and each one's wake spells (a sleep left, however
 * many replies follow; the switch counts beside them), both against the bare baseline.
 */
export function goalLines(rows: readonly UsageRow[], baseline: UsageRow): string[] {
  const ours = rows.filter((r) => r.ours);
  const cpu = ours.reduce((sum, r) => sum + r.cpuPercent, 0);
  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a');
  const wakeups = ours.map((r) => `${r.name} ${spellText(r)} (${r.mainVoluntaryWakeups.toFixed(2)} voluntary switches)`).join(', ');
  const most = [...ours].sort((a, b) => (b.spells ?? 0) - (a.spells ?? 0))[0];
  return [
    `Berth's processes together: ${cpu.toFixed(2)} % of one core (goal 2 %); a bare node with a 1 s timer: ${baseline.cpuPercent.toFixed(2)} % (ratio ${ratio(cpu, baseline.cpuPercent)})`,
    `wake spells per second per process (main thread): ${wakeups}; bare node ${spellText(baseline)} (${baseline.mainVoluntaryWakeups.toFixed(2)} voluntary switches) (goal <= 1 without work; most: ${most?.name ?? 'none'}, ratio to bare ${ratio(most?.spells ?? 0, baseline.spells ?? 0)})`,
  ];
}
