/**
 * Wake spells: how often a process leaves its sleep, however many replies it then reads. A process that
 * a timer wakes, which then sends five queries and reads their five replies within a few milliseconds
 * and sleeps again, switches in six times (proc-usage.ts counts each) but was woken once. The main
 * thread's voluntary context switches are read every `spellSampleMs` (25 ms): a sample in which the
 * count rose is an awake one; a run of awake samples after a quiet one is one spell, and one more for
 * each further `samplesPerSpell` awake samples in the same run (100 ms), so a process that never stays
 * asleep for a whole sample (a poller faster than 25 ms) counts 10 spells a second and cannot pass for
 * one that wakes once. Wake-ups less than a sample or two apart (25-50 ms) still count once: that is
 * the resolution. Spells per second is the "wake-ups" as a user of the machine sees them (a
 * laptop's battery, a shared core); the switch counts stay in the table beside them.
 * `countSpells` is pure (test/unit/bench-idle-usage.test.ts).
 */
import { readFileSync } from 'node:fs';
import { parseStatus } from './proc-usage.ts';

export const spellSampleMs = 25;
const samplesPerSpell = 4;

/** The spells in a series of a counter's readings: one per run of rising readings, and one per further `samplesPerSpell` of a long run. */
export function countSpells(readings: readonly number[]): number {
  let spells = 0;
  let run = 0;
  for (let i = 1; i < readings.length; i++) {
    const rose = readings[i]! > readings[i - 1]!;
    run = rose ? run + 1 : 0;
    if (rose && (run - 1) % samplesPerSpell === 0) spells++;
  }
  return spells;
}

function voluntarySwitches(pid: number): number | undefined {
  try {
    return parseStatus(readFileSync(`/proc/${pid}/status`, 'utf8')).voluntary;
  } catch {
    return undefined;
  }
}

export interface SpellCounts {
  /** Per group of pids: the sum of its processes' spells (a process that went is left out), undefined when all went. */
  spells: (number | undefined)[];
  /** Samples taken, and the mean time between them (a loaded machine stretches it: coarser samples). */
  samples: number;
  meanSampleMs: number;
}

/** Samples the main thread of each pid of each group until `stop` is called; then answers each group's spells. */
export function sampleSpells(groups: readonly (readonly number[])[]): { stop: () => SpellCounts } {
  const pids = [...new Set(groups.flat())];
  const series = new Map(pids.map((pid) => [pid, [] as number[]]));
  const gone = new Set<number>();
  const startedAt = performance.now();
  let samples = 0;
  const timer = setInterval(() => {
    samples++;
    for (const pid of pids) {
      const count = voluntarySwitches(pid);
      if (count === undefined) gone.add(pid);
      else series.get(pid)!.push(count);
    }
  }, spellSampleMs);
  const groupSpells = (group: readonly number[]) => {
    const alive = group.filter((pid) => !gone.has(pid));
    return alive.length ? alive.reduce((sum, pid) => sum + countSpells(series.get(pid)!), 0) : undefined;
  };
  return {
    stop: () => {
      clearInterval(timer);
      return { spells: groups.map(groupSpells), samples, meanSampleMs: samples ? (performance.now() - startedAt) / samples : NaN };
    },
  };
}
