import { execFile } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import { repoRoot } from '@berth/testing/paths';

/**
 * Benchmarks that cannot rot: each runs as `npm run bench:<name>` runs it (the compiled platform that the
 * suite builds first, the benchmark through tsx), at its smoke size (BENCH_SMOKE=1, bench/bench-size.ts),
 * and must exit 0 having printed its ratio line. The line's shape is checked, never its number: at smoke
 * size the figures mean nothing. Each benchmark makes its own databases from DATABASE_URL and drops them.
 *
 * Left out: rebuild (a cold `npm install` of 24 packages inside a build, over a minute even at one round),
 * workers (six image builds even at a burst of 2), swarm-network (swarm services, tens of seconds a
 * round), api-compare (a tool comparing two checkouts, not a benchmark of this one).
 */
const benches: { name: string; ratio: RegExp }[] = [
  { name: 'router', ratio: /ready -> first 200 via Caddy ms .*\(ratio p95 \/ raw load \d+\.\d\d\)/ },
  { name: 'logs', ratio: /^ {2}ratio berth\/raw throughput: \d+\.\d\d$/m },
  { name: 'follower', ratio: /^ratios \(after \/ before\): docker calls \S+, postgres \S+, CPU \S+$/m },
  { name: 'api', ratio: /^ratios against hello-world: POST one project req\/s \d+\.\d\d, p99 \S+x; .*GET req\/s \d+\.\d\d/m },
  { name: 'start-up', ratio: /^\| api \| \d+ ms \| \d+ ms \| \d+\.\d\d \| .* MB \| \d+\.\d\d \|$/m },
  { name: 'release', ratio: /^latency during releases vs none: p50 \d+\.\d\dx {2}p99 \d+\.\d\dx$/m },
  { name: 'deploy', ratio: /^ratio \(berth \/ raw, medians\): \d+\.\d\d$/m },
  { name: 'log-search', ratio: /^ratio indexed \/ scan \(p50\): \d+\.\d{3}$/m },
  { name: 'backup', ratio: /^ratio berth \/ direct \(MB\/s, medians\): backup \d+\.\d\d, restore \d+\.\d\d$/m },
  { name: 'app-metrics', ratio: /^ratio sampler \/ raw CPU per round: \d+\.\d\d$/m },
  { name: 'release-switch', ratio: /^ratio resolver \/ host map: switch p95 \d+\.\d\d, failed requests \d+ vs \d+$/m },
  { name: 'access-log', ratio: /^ratio access log on \/ off \(req\/s, medians\): \d+\.\d\d$/m },
];

function runBench(name: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, BENCH_SMOKE: '1', REDIS_URL: inject('redisUrl'), DATABASE_URL: inject('databaseUrl') };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=@berth/source', '--import', 'tsx', `bench/${name}.ts`],
      { cwd: repoRoot, env, timeout: 100_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('benchmarks at smoke size', () => {
  for (const { name, ratio } of benches) {
    it(`bench:${name} finishes and prints its ratio line`, { timeout: 120_000 }, async () => {
      const { code, stdout, stderr } = await runBench(name);
      expect(code, `${stdout}\n${stderr}`).toBe(0);
      expect(stdout).toMatch(ratio);
    });
  }
});
