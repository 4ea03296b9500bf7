import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  childPids,
  goalLines,
  pairedSums,
  parseStatParent,
  parseStatTicks,
  parseStatus,
  readUsage,
  usageRow,
  usageTable,
  type Usage,
} from '../../bench/idle/proc-usage.ts';
import { countSpells, sampleSpells } from '../../bench/idle/wake-spells.ts';

/**
 * bench:idle's pure parts (bench/idle/proc-usage.ts). The benchmark itself is not in the bench smoke
 * test: even at smoke size it starts a private Postgres and four programs and builds three apps (78 s
 * on a loaded machine, 2026-12-07), past the smoke test's budget of ~40 s per benchmark.
 */
// A real line's shape, with a process name holding a space and a parenthesis: utime 250, stime 50.
const stat = '4242 (node (x) y) S 4200 4242 4200 0 -1 4194560 5000 0 0 0 250 50 0 0 20 0 11 0 7269934 1000000 9000';
const status = 'Name:\tnode\nVmRSS:\t  123456 kB\nThreads:\t11\nvoluntary_ctxt_switches:\t900\nnonvoluntary_ctxt_switches:\t100\n';
const usage = (over: Partial<Usage> = {}): Usage => ({ cpuTicks: 0, rssBytes: 100 << 20, mainSwitches: 0, mainVoluntary: 0, allSwitches: 0, threads: 11, ...over });

describe('reading /proc', () => {
  it('takes utime + stime and the parent after the name, whatever the name holds', () => {
    expect(parseStatTicks(stat)).toBe(300);
    expect(parseStatParent(stat)).toBe(4200);
  });

  it('refuses a line that is no stat line', () => {
    expect(() => parseStatTicks('4242 (node) S 1 2')).toThrow(/not a \/proc stat line/);
  });

  it('takes RSS in bytes and both kinds of context switch', () => {
    expect(parseStatus(status)).toEqual({ rssBytes: 123456 * 1024, switches: 1000, voluntary: 900 });
    expect(parseStatus('Name:\tkthread\n')).toEqual({ rssBytes: 0, switches: 0, voluntary: 0 });
  });

  it('reads a live process, finds it as its parent child, and nothing of one that is gone', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      const u = readUsage(child.pid!);
      expect(u?.rssBytes).toBeGreaterThan(0);
      expect(u?.threads).toBeGreaterThanOrEqual(1);
      expect(u!.allSwitches).toBeGreaterThanOrEqual(u!.mainSwitches);
      expect(u!.mainSwitches).toBeGreaterThanOrEqual(u!.mainVoluntary);
      expect(childPids(process.pid)).toContain(child.pid);
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    expect(readUsage(child.pid!)).toBeUndefined();
  });
});

describe('the figures', () => {
  it('turns two readings into CPU % of one core and wake-ups per second', () => {
    const row = usageRow('api', true, usage(), usage({ cpuTicks: 300, rssBytes: 110 << 20, mainSwitches: 600, mainVoluntary: 450, allSwitches: 1500 }), 300, 100);
    expect(row).toMatchObject({ cpuPercent: 1, rssStartMb: 100, rssEndMb: 110, mainWakeups: 2, mainVoluntaryWakeups: 1.5, allWakeups: 5 });
  });

  it('counts no negative wake-ups when threads ended in the window', () => {
    expect(usageRow('w', true, usage({ allSwitches: 900 }), usage({ allSwitches: 500 }), 10, 100).allWakeups).toBe(0);
  });

  it('sums a group over the processes seen at both ends only', () => {
    const start = new Map([
      [1, usage({ cpuTicks: 10 })],
      [2, usage({ cpuTicks: 20 })],
      [3, usage({ cpuTicks: 5 })],
    ]);
    const end = new Map([
      [1, usage({ cpuTicks: 15 })],
      [2, usage({ cpuTicks: 21 })],
      [4, usage({ cpuTicks: 99 })],
    ]);
    const [before, after] = pairedSums(start, end);
    expect([before.cpuTicks, after.cpuTicks, after.threads]).toEqual([30, 36, 22]);
  });

  it('prints a table row per process and the goal lines over ours only, against the baseline', () => {
    const rows = [
      usageRow('api', true, usage(), usage({ cpuTicks: 30, mainSwitches: 20, mainVoluntary: 20 }), 10, 100, 5),
      usageRow('worker-1', true, usage(), usage({ cpuTicks: 10, mainSwitches: 40, mainVoluntary: 30 }), 10, 100, 8),
      usageRow('caddy', false, usage(), usage({ cpuTicks: 500, mainSwitches: 900 }), 10, 100),
    ];
    const bare = usageRow('bare node (baseline)', false, usage(), usage({ cpuTicks: 2, mainSwitches: 10, mainVoluntary: 10 }), 10, 100, 10);
    expect(usageTable([...rows, bare])).toMatch(/^\| worker-1 \| yes \| 1\.00 \| 100 → 100 MB \| 0\.80 \| 4\.00 \| 3\.00 \| 0\.00 \(11\) \|$/m);
    expect(usageTable(rows)).toMatch(/^\| caddy \| no \| 50\.00 \| 100 → 100 MB \| n\/a /m);
    const [cpu, wakeups] = goalLines(rows, bare);
    expect(cpu).toBe("Berth's processes together: 4.00 % of one core (goal 2 %); a bare node with a 1 s timer: 0.20 % (ratio 20.00)");
    expect(wakeups).toBe(
      'wake spells per second per process (main thread): api 0.50 (2.00 voluntary switches), worker-1 0.80 (3.00 voluntary switches); bare node 1.00 (1.00 voluntary switches) (goal <= 1 without work; most: worker-1, ratio to bare 0.80)',
    );
  });
});

describe('wake spells', () => {
  it('counts each run of rising readings once, and a long run once per 4 samples', () => {
    expect(countSpells([])).toBe(0);
    expect(countSpells([5, 5, 5])).toBe(0);
    // rises at 1, 2, 3 (one spell: a timer and its replies), quiet, rises at 6 (a second), at 8 (a third)
    expect(countSpells([0, 1, 4, 6, 6, 6, 7, 7, 9])).toBe(3);
    // awake in every one of 40 samples (a poller faster than the sample): 10 spells, not 1
    expect(countSpells(Array.from({ length: 41 }, (_, i) => i))).toBe(10);
  });

  it('samples real processes: a 200 ms timer wakes one about 5 times a second; a process that went counts nothing', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 200)'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const sampling = sampleSpells([[child.pid!], [999_999_999]]);
      await new Promise((r) => setTimeout(r, 2000));
      const { spells, samples, meanSampleMs } = sampling.stop();
      expect(spells[0]).toBeGreaterThanOrEqual(7);
      expect(spells[0]).toBeLessThanOrEqual(12);
      expect(spells[1]).toBeUndefined();
      expect(samples).toBeGreaterThan(10);
      expect(meanSampleMs).toBeGreaterThanOrEqual(20);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
