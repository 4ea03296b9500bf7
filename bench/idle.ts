/**
 * The platform's cost at rest (issue 32): the whole platform started as real processes, compiled, with
 * the default settings (bench/soak/platform.ts: its own Redis, Postgres and Caddy; the API, WORKERS
 * workers and router-sync), IDLE_APPS apps (50) deployed and running, nothing in flight, a warm-up
 * (IDLE_WARMUP_SECONDS, 30), then IDLE_SECONDS (300) of nothing to do, over which each process's CPU,
 * RSS and wake-ups are read from /proc (bench/idle/proc-usage.ts). Goal: Berth's processes together
 * under 2 % of one core, no wake-up more often than once a second. The baseline, sampled over the same
 * window: a bare `node` with a 1 s timer. Caddy, Redis and Postgres (with its backends) are shown, not ours.
 * Everything it made (processes, containers, images, networks of its instance) goes, on Ctrl-C too.
 *
 *   npm run bench:idle        (IDLE_APPS=50 IDLE_SECONDS=300 IDLE_WARMUP_SECONDS=30 IDLE_WORKERS=2)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { ApiClient } from '@berth/client/api-client';
import { sized } from './bench-size.ts';
import { awaitRunning, deployApps, pause } from './idle/idle-apps.ts';
import { childPids, goalLines, pairedSums, readUsage, ticksPerSecond, usageRow, usageTable, type Usage } from './idle/proc-usage.ts';
import { sampleSpells } from './idle/wake-spells.ts';
import { removeSoakResources } from './soak/cleanup.ts';
import { soakToken, startSoakPlatform, type SoakPlatform } from './soak/platform.ts';
import { platformPids } from './soak/process-samples.ts';

const apps = Math.min(100, sized('IDLE_APPS', 50, 3));
const idleSeconds = sized('IDLE_SECONDS', 300, 15);
const warmupSeconds = sized('IDLE_WARMUP_SECONDS', 30, 3);
const workers = sized('IDLE_WORKERS', 2, 2);
/** Only what the platform needs to run here: every interval and timeout at its default. */
const settings = { BASE_DOMAIN: 'localhost', LOG_LEVEL: 'warn', DEPLOY_RATE_LIMIT: '100000', STRANGER_RATE_LIMIT: '1000000' };

const progress = (what: string) => process.stderr.write(`idle ${new Date().toISOString().slice(11, 19)} ${what}\n`);

interface Target {
  name: string;
  ours: boolean;
  /** The processes counted as one (Postgres: the postmaster and its backends). */
  pids: number[];
}

function targets(platform: SoakPlatform, baseline: ChildProcess): Target[] {
  const all: Target[] = [];
  for (const [name, pid] of platformPids(platform)) {
    if (!pid) continue;
    const ours = platform.programs.some((p) => p.name === name);
    all.push({ name: name === 'postgres' ? 'postgres (+ backends)' : name, ours, pids: name === 'postgres' ? [pid, ...childPids(pid)] : [pid] });
  }
  return [...all, { name: 'bare node (baseline)', ours: false, pids: [baseline.pid!] }];
}

const snapshot = (pids: number[]) => new Map(pids.flatMap((pid) => ((u) => (u ? [[pid, u] as [number, Usage]] : []))(readUsage(pid))));

/** Each target's usage over `seconds` of nothing to do. */
async function measure(list: Target[], seconds: number) {
  const hz = ticksPerSecond();
  const starts = list.map((t) => snapshot(t.pids));
  const sampling = sampleSpells(list.map((t) => t.pids));
  const startedAt = performance.now();
  await pause(seconds * 1000);
  const { spells, samples, meanSampleMs } = sampling.stop();
  console.log(`${samples} wake samples of each main thread, one every ${meanSampleMs.toFixed(1)} ms on average`);
  const ends = list.map((t) => snapshot(t.pids));
  const elapsed = (performance.now() - startedAt) / 1000;
  return list.map((t, i) => {
    const [start, end] = pairedSums(starts[i]!, ends[i]!);
    return usageRow(t.name, t.ours, start, end, elapsed, hz, spells[i]);
  });
}

/** A program that restarted in the window (a new pid) was not at rest: say so. */
function restarted(platform: SoakPlatform, list: Target[]): string[] {
  const now = platformPids(platform);
  return list.filter((t) => t.ours && now.get(t.name) !== t.pids[0]).map((t) => t.name);
}

async function run(platform: SoakPlatform, baseline: ChildProcess): Promise<void> {
  const api = new ApiClient({ baseUrl: platform.apiUrl, token: soakToken });
  progress(`platform up (${platform.instance}); deploying ${apps} apps`);
  const ids = await deployApps(api, apps);
  await awaitRunning(api, ids, Math.max(180_000, apps * 20_000), progress);
  progress(`all ${apps} running, nothing in flight; warming up ${warmupSeconds} s`);
  await pause(warmupSeconds * 1000);
  const list = targets(platform, baseline);
  progress(`measuring ${idleSeconds} s at rest`);
  const load = os.loadavg()[0]!;
  const rows = await measure(list, idleSeconds);
  const baselineRow = rows.at(-1)!;
  console.log(`${apps} running apps, ${workers} workers, ${idleSeconds} s at rest after ${warmupSeconds} s of warm-up (Node ${process.version}, ${os.cpus().length} cores, load average ${load.toFixed(2)} → ${os.loadavg()[0]!.toFixed(2)})`);
  console.log(usageTable(rows));
  const gone = restarted(platform, list);
  if (gone.length) console.log(`restarted during the window (figures not at rest): ${gone.join(', ')}`);
  for (const line of goalLines(rows.slice(0, -1), baselineRow)) console.log(line);
}

let cleaning: Promise<void> | undefined;
let cleanUp = (): Promise<void> => Promise.resolve();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));

const baseline = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
let platform: SoakPlatform | undefined;
cleanUp = () =>
  (cleaning ??= (async () => {
    progress('cleaning up');
    baseline.kill('SIGKILL');
    if (!platform) return;
    await platform.stop();
    await removeSoakResources(platform.instance);
  })());
let failed = false;
try {
  progress('starting the platform (compiled, default settings)');
  platform = await startSoakPlatform({ workers, settings, compiled: true });
  await run(platform, baseline);
} catch (err) {
  failed = true;
  console.error(err);
} finally {
  await cleanUp();
}
// Exit now: the API client's kept-alive sockets may still be closing.
process.exit(failed ? 1 : 0);
