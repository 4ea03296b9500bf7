/**
 * The soak's chaos: at random moments, one step of the fault suite's toolbox on the soak's own
 * platform (SIGKILL a worker, the API or router-sync; crash Caddy; restart the soak's own Redis or
 * Postgres). `light`: one step at a time. `heavy`: steps may overlap, and a dockerd restart joins
 * them, only where the project's own scripts started that dockerd (it stops every app on it).
 */
import type { ExcuseWindow } from './invariants-runtime.ts';
import type { SoakPlatform } from './platform.ts';

export type ChaosLevel = 'none' | 'light' | 'heavy';

export interface ChaosStep {
  name: string;
  /** How long after the step its apps may still fail requests (routes pushed again...); undefined: apps unaffected. */
  appGraceMs?: number;
  run(platform: SoakPlatform): Promise<void>;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function chaosSteps(platform: SoakPlatform, level: ChaosLevel): ChaosStep[] {
  const workers = platform.programs.filter((p) => p.kind === 'worker').map((p) => p.name);
  const steps: ChaosStep[] = [
    ...workers.map((w) => ({ name: `SIGKILL ${w}`, run: (p: SoakPlatform) => p.crash(w) })),
    { name: 'SIGKILL api', run: (p) => p.crash('api') },
    // Docker mode's apps are found through router-sync's route resolver (docs/architecture.md, routing): until
    // the new one runs and has given Caddy its address, app hosts get the 404 page (Caddy 2.6.2 keeps no stale
    // answers: its dynamic upstreams have no grace period). The step lasts until Caddy's config names the new
    // resolver (a new port: a new config), then Caddy's next lookups (a second) are excused too.
    { name: 'SIGKILL router-sync', appGraceMs: 1000, run: restartRouterSync },
    // Caddy starts again bare; router-sync pushes the routes back on its next resync: the step lasts until
    // Caddy has a config again (at most a minute), then its first lookups (a second) are excused too.
    { name: 'crash Caddy', appGraceMs: 1000, run: restartCaddy },
    { name: 'restart Redis (data lost)', run: (p) => p.redis.restart(500) },
    {
      name: 'restart Postgres',
      run: async (p) => {
        await p.pg.stop();
        await pause(1500);
        await p.pg.start();
      },
    },
  ];
  if (level === 'heavy') steps.push(dockerdStep());
  return steps;
}

/** Caddy's live config as text ('' while it does not answer). */
const caddyConfig = (p: SoakPlatform) => fetch(`${p.caddy.adminUrl}/config/`).then((r) => r.text(), () => '');

/** Polls (every 200 ms, at most a minute) until `done`. */
async function until(done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await done()) && Date.now() < deadline) await pause(200);
}

/** SIGKILLs router-sync and returns once the new one has loaded Caddy's config. */
async function restartRouterSync(p: SoakPlatform): Promise<void> {
  const before = await caddyConfig(p);
  await p.crash('router-sync');
  await until(async () => (await caddyConfig(p)) !== before);
}

/** Crashes Caddy and returns once router-sync has given the new one its config. */
async function restartCaddy(p: SoakPlatform): Promise<void> {
  await p.caddy.restart({ crash: true });
  await until(async () => (await caddyConfig(p)).includes('"http"'));
}

/** Heavy only: restarts the dockerd this project's scripts started (never a shared or system one). */
function dockerdStep(): ChaosStep {
  return {
    name: 'restart dockerd',
    appGraceMs: 60_000,
    async run() {
      const { ownDockerd, restartDockerd } = await import('@berth/testing/dockerd');
      if (ownDockerd()) await restartDockerd();
    },
  };
}

export interface ChaosRecord {
  step: string;
  from: number;
  to: number;
  error?: string;
}

/** Runs steps at random moments about every `everyMs` until stopped; records each and the windows apps may fail in. */
export class Chaos {
  readonly taken: ChaosRecord[] = [];
  readonly excuses: ExcuseWindow[] = [];
  private stopped = false;
  private loop: Promise<void> | undefined;
  private running: Promise<void>[] = [];

  constructor(
    private readonly platform: SoakPlatform,
    private readonly level: ChaosLevel,
  ) {}

  private async take(step: ChaosStep): Promise<void> {
    const record: ChaosRecord = { step: step.name, from: Date.now(), to: 0 };
    this.taken.push(record);
    try {
      await step.run(this.platform);
    } catch (err) {
      record.error = String(err).slice(0, 200);
    }
    record.to = Date.now();
    if (step.appGraceMs !== undefined) this.excuses.push({ from: record.from, to: record.to + step.appGraceMs, why: step.name });
  }

  start(everyMs: number): void {
    if (this.level === 'none') return;
    const steps = chaosSteps(this.platform, this.level);
    this.loop = (async () => {
      while (!this.stopped) {
        await pause(everyMs * (0.5 + Math.random()));
        if (this.stopped) break;
        const step = steps[Math.floor(Math.random() * steps.length)]!;
        const taking = this.take(step);
        if (this.level === 'heavy') this.running.push(taking);
        else await taking;
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await Promise.all(this.running);
  }
}
