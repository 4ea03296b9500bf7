/**
 * The one place a benchmark's size is chosen. Full size unless BENCH_SMOKE=1: then a smoke size, tiny
 * counts and durations, so that the suite (test/stack/operations/bench-smoke.test.ts) runs each
 * benchmark in seconds and sees it finish and print its ratio line; its figures mean nothing then.
 * A benchmark's own variable (ROUNDS, BENCH_SECONDS, ...) still wins over either size.
 */
export const smoke = process.env.BENCH_SMOKE === '1';

/** The number in env variable `name` when set, else the full or the smoke size. */
export function sized(name: string, full: number, smokeSize: number): number {
  const given = process.env[name];
  return given ? Number(given) : smoke ? smokeSize : full;
}

/** A comma-separated list of numbers in env variable `name` when set, else the full or the smoke list. */
export function sizedList(name: string, full: number[], smokeList: number[]): number[] {
  const given = process.env[name];
  return given ? given.split(',').map(Number) : smoke ? smokeList : full;
}
