/**
 * Wake spells: how often a process leaves its sleep, however many replies it then reads. A process that
 * a timer wakes, which then sends five queries and reads their five replies within a few milliseconds
 * and sleeps again, switches in six times (proc-usage.ts counts each) but was woken once. The main
 * thread's voluntary context switches are read every `SPELL_SAMPLE_MS` (25 ms): a sample in which the
 * count rose is an awake one, and each run of awake samples after a quiet one is one spell. Spells per
 * second is the "wake-ups" as a user of the machine sees them (a laptop's battery, a shared
 * core); the switch counts stay in the table beside them. The resolution is the sample: two wake-ups
 * less than 25 ms apart count as one. `countSpells` is pure (test/unit/bench-idle-usage.test.ts).
 */
import { readFileSync } from 'node:fs';
import { parseStatus } from './proc-usage.ts';

export const spellSampleMs = 25;

/** The number of spells in a series of a counter's readings: rises after a reading that did not rise (or the first). */
export function countSpells(readings: readonly number[]): number {
  let spells = 0;
  let awake = false;
  for (let i = 1; i < readings.length; i++) {
    const rose = readings[i]! > readings[i - 1]!;
    if (rose && !awake) spells++;
    awake = rose;
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

/** Samples each pid's main thread until `stop` is called; then answers the spells of each (undefined for one that went). */
export function sampleSpells(pids: readonly number[]): { stop: () => (number | undefined)[] } {
  const series = pids.map(() => [] as number[]);
  const gone = new Set<number>();
  const timer = setInterval(() => {
    pids.forEach((pid, i) => {
      const count = voluntarySwitches(pid);
      if (count === undefined) gone.add(i);
      else series[i]!.push(count);
    });
  }, spellSampleMs);
  return {
    stop: () => {
      clearInterval(timer);
      return series.map((readings, i) => (gone.has(i) ? undefined : countSpells(readings)));
    },
  };
}
