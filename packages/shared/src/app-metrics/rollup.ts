import type { AppSample } from './metric-samples.ts';
import { addTally, emptyTally } from './request-histogram.ts';
import type { DeploymentTally } from './request-metric-store.ts';

/**
 * The arithmetic of downsampling (issue 30 item 1): past a day, app samples
 * and request rows are kept at one per 5 minutes. Samples carry cumulative
 * counters, so the last one of each 5 minutes loses nothing but resolution
 * (rates between two kept samples are the rates over those 5 minutes).
 * Request rows are counts, so a 5-minute row is their sum, histogram bucket
 * by bucket.
 */
export const rollupStepMs = 5 * 60_000;
/** How long the full-resolution rows stay. */
export const rawKeptMs = 24 * 3600_000;

/** Rows older than this are rolled up: a day ago, down to a whole step (so no step is split between the two tables). */
export function rollupCutoff(now: Date): Date {
  const t = now.getTime() - rawKeptMs;
  return new Date(t - (t % rollupStepMs));
}

/** The start of the step `at` falls in. */
export function stepStart(at: Date): Date {
  return new Date(at.getTime() - (at.getTime() % rollupStepMs));
}

/** The last sample of each container in each step. */
export function rollupSamples(samples: readonly AppSample[]): AppSample[] {
  const last = new Map<string, AppSample>();
  for (const s of samples) {
    const key = `${s.deploymentId}\0${s.container}\0${stepStart(s.at).getTime()}`;
    const kept = last.get(key);
    if (!kept || kept.at < s.at) last.set(key, s);
  }
  return [...last.values()];
}

/** Each deployment's requests per step, added up; `at` is the step's start. */
export function rollupRequests(rows: readonly DeploymentTally[]): DeploymentTally[] {
  const sums = new Map<string, DeploymentTally>();
  for (const row of rows) {
    const at = stepStart(row.at);
    const key = `${row.deploymentId}\0${at.getTime()}`;
    let sum = sums.get(key);
    if (!sum) sums.set(key, (sum = { deploymentId: row.deploymentId, at, tally: emptyTally() }));
    addTally(sum.tally, row.tally);
  }
  return [...sums.values()];
}
