/**
 * One soak (issue 32): the platform started (platform.ts), its projects seeded, then for `durationMs`
 * releases, rollbacks and cancels (deployer.ts), log viewers (log-viewers.ts), a keep-alive load on the
 * apps (app-load.ts) and chaos (chaos.ts); then it settles and every invariant is checked.
 */
import { isInFlight } from '@berth/shared/deployment-state';
import { AppLoad } from './app-load.ts';
import { Chaos, type ChaosLevel, type ChaosRecord } from './chaos.ts';
import { removeSoakResources } from './cleanup.ts';
import { Deployer } from './deployer.ts';
import { GitPushes } from './git-pushes.ts';
import { inFlightHaveJobs, noOrphans, routesMatch, stateInvariants, type InvariantResult, type SettledState } from './invariants.ts';
import { invariantTable, runInvariants, type RunFacts } from './invariants-runtime.ts';
import { LogViewers } from './log-viewers.ts';
import { observeSettled, storeSizes } from './observe.ts';
import { startSoakPlatform, soakToken, type SoakPlatform } from './platform.ts';
import { ProcessSampler } from './process-samples.ts';

export interface SoakOptions {
  durationMs: number;
  chaos: ChaosLevel;
  projects: number;
  /** One more project, deployed by git pushes (main, feature branches, a branch deleted). */
  pushes: boolean;
  viewers: number;
  clients: number;
  workers: number;
  /** About how often an operation (release, rollback, cancel) and a chaos step happen. */
  opEveryMs: number;
  chaosEveryMs: number;
}

export interface SoakOutcome {
  results: InvariantResult[];
  table: string;
  chaos: ChaosRecord[];
  summary: string;
}

const clock = (at: number) => new Date(at).toISOString().slice(11, 19);
/** Where the soak is, on stderr (a long run should say what it waits for). */
const progress = (what: string) => process.stderr.write(`soak ${clock(Date.now())} ${what}\n`);
/** `promise`, or undefined after `ms` (a step that hangs must not hang the soak). */
const within = <T>(promise: Promise<T>, ms: number) => Promise.race([promise, pause(ms).then(() => undefined)]);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const releasesKept = 3;
/** The warm-up (a quarter of the run, at most a minute) that makes RSS and descriptors comparable: runs of 4 minutes or more. */
const judgedWarmupMs = 60_000;

/**
 * Settled: nothing in flight, and the leftovers, jobs and routes caught up (drains end, the reaper
 * and router-sync run every few seconds); at most `timeoutMs`, then it is judged as it stands.
 */
async function settle(platform: SoakPlatform, timeoutMs: number): Promise<SettledState> {
  const deadline = Date.now() + timeoutMs;
  const calm = (state: SettledState) => !state.deployments.some((d) => isInFlight(d.status)) && [inFlightHaveJobs, noOrphans, routesMatch].every((f) => f(state).ok);
  for (;;) {
    // Without images first (cheap), then with them once the rest is calm.
    const quick = await within(observeSettled(platform, releasesKept, false), 30_000).catch((err: Error) => void progress(`observing failed: ${err.message}`));
    const late = Date.now() > deadline;
    if (quick && (calm(quick) || late)) {
      const full = await within(observeSettled(platform, releasesKept), 180_000);
      if (full && (calm(full) || late)) return full;
    }
    if (!quick) progress('no observation this time');
    if (Date.now() > deadline + 240_000) throw new Error('the settled state could not be observed');
    await pause(2000);
  }
}

/** Bounds of the stores: their size after warm-up, and room per deployment made since (its rows, its kept log lines). */
function sizeFacts(warm: { postgres: number; redis: number }, end: { postgres: number; redis: number }, newDeployments: number): RunFacts['sizes'] {
  return [
    { name: 'postgres', bytes: end.postgres, limit: warm.postgres * 1.2 + newDeployments * 256 * 1024 },
    { name: 'redis', bytes: end.redis, limit: Math.max(warm.redis, 1 << 20) * 1.5 + newDeployments * 8 * 1024 },
  ];
}

async function drive(platform: SoakPlatform, o: SoakOptions): Promise<{ run: RunFacts; state: SettledState; chaos: ChaosRecord[]; summary: string }> {
  const projects = Array.from({ length: o.projects }, (_, i) => `soak-${String.fromCharCode(97 + i)}`);
  progress(`platform up (${platform.instance}); seeding ${projects.length} projects${o.pushes ? ' and one deployed by git pushes' : ''}`);
  const git = o.pushes ? await GitPushes.start(platform.apiUrl, soakToken, 'soak-git') : undefined;
  const deployer = new Deployer(platform.apiUrl, soakToken, projects, git?.pushes);
  if (git) deployer.stats.deployments.push(git.first);
  await deployer.seed();
  const load = new AppLoad(platform.caddyUrl, platform.env.BASE_DOMAIN!, git ? [...projects, git.pushes.project] : projects);
  const viewers = new LogViewers(platform.apiUrl, soakToken, () => deployer.stats.deployments);
  const warmupMs = Math.min(60_000, o.durationMs / 4);
  const sampler = new ProcessSampler(platform, Date.now() + warmupMs, warmupMs);
  const chaos = new Chaos(platform, o.chaos);
  load.start(o.clients);
  viewers.start(o.viewers);
  sampler.start(5000);
  deployer.start(o.opEveryMs);
  chaos.start(o.chaosEveryMs);
  await pause(warmupMs);
  const warm = { sizes: await storeSizes(platform), deployments: deployer.stats.deployments.length };
  progress('warm');
  await pause(o.durationMs - warmupMs);
  progress('load over; waiting for the chaos step and the operation under way');
  await chaos.stop();
  await deployer.stop();
  progress('settling');
  const state = await settle(platform, 180_000);
  progress('settled; stopping the viewers and the load');
  await Promise.all([viewers.stop(), load.stop(), git?.pushes.stop()]);
  const sizes = sizeFacts(warm.sizes, await storeSizes(platform), deployer.stats.deployments.length - warm.deployments);
  const run: RunFacts = {
    requests: load.requests,
    failed: load.failed,
    excuses: chaos.excuses,
    viewerFaults: viewers.faults,
    viewerLines: viewers.lines,
    // A leak shows over minutes: a shorter run's heaps are still growing to their size, so it is not judged.
    processes: sampler.finish().map((p) => (warmupMs >= judgedWarmupMs ? p : { ...p, warm: undefined })),
    sizes,
  };
  const summary = [
    `operations: ${JSON.stringify(deployer.stats.ops)}, ${deployer.stats.refused} refused or failed (API down, nothing to roll back to)`,
    `deployments: ${deployer.stats.deployments.length}; viewers: ${viewers.connects} connections; app requests: ${load.requests}`,
    `app requests sent again after a kept-alive connection closed under them: ${load.resent}`,
    `chaos: ${chaos.taken.map((c) => `${clock(c.from)}-${clock(c.to)} ${c.step}${c.error ? ` (error: ${c.error})` : ''}`).join('; ') || 'none'}`,
  ].join('\n');
  return { run, state, chaos: chaos.taken, summary };
}

/** `onStarted` gets how to stop the platform (main.ts calls it on Ctrl-C: its processes must not outlive the soak). */
export async function runSoak(o: SoakOptions, onStarted: (stop: () => Promise<void>) => void = () => {}): Promise<SoakOutcome> {
  const platform = await startSoakPlatform({ workers: o.workers, env: { RELEASES_KEPT: String(releasesKept) } });
  onStarted(async () => {
    await platform.stop();
    await removeSoakResources(platform.instance);
  });
  try {
    const { run, state, chaos, summary } = await drive(platform, o);
    const results = [...stateInvariants.map((f) => f(state)), ...runInvariants.map((f) => f(run))];
    return { results, table: invariantTable(results), chaos, summary };
  } finally {
    progress('stopping the platform');
    await platform.stop();
    await removeSoakResources(platform.instance);
  }
}
