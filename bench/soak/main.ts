/**
 * `npm run soak`: a long, busy, unlucky run of the platform, then its invariants as one table
 * (docs/testing.md#the-soak). SOAK_MINUTES (20), SOAK_CHAOS (none | light | heavy; light),
 * SOAK_PROJECTS (4), SOAK_PUSHES (1: one more project deployed by git pushes; 0: none), SOAK_VIEWERS (50), SOAK_CLIENTS (4), SOAK_WORKERS (2). Exit 1 when one is broken.
 */
import type { ChaosLevel } from './chaos.ts';
import { runSoak } from './run-soak.ts';

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const chaos = (process.env.SOAK_CHAOS ?? 'light') as ChaosLevel;
if (!['none', 'light', 'heavy'].includes(chaos)) throw new Error(`SOAK_CHAOS must be none, light or heavy, not ${chaos}`);
const minutes = num('SOAK_MINUTES', 20);

const started = Date.now();
let stopPlatform = async () => {};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stopPlatform().finally(() => process.exit(130)));
const outcome = await runSoak({
  durationMs: minutes * 60_000,
  chaos,
  projects: num('SOAK_PROJECTS', 4),
  pushes: num('SOAK_PUSHES', 1) > 0,
  viewers: num('SOAK_VIEWERS', 50),
  clients: num('SOAK_CLIENTS', 4),
  workers: num('SOAK_WORKERS', 2),
  opEveryMs: num('SOAK_OP_EVERY_MS', 5000),
  chaosEveryMs: num('SOAK_CHAOS_EVERY_MS', 45_000),
}, (stop) => (stopPlatform = stop));
console.log(`soak: ${minutes} min, chaos ${chaos}, ${((Date.now() - started) / 60_000).toFixed(1)} min in all`);
console.log(outcome.summary);
console.log(outcome.table);
// Exit now: the viewers' and the load's sockets may still be closing.
process.exit(outcome.results.every((r) => r.ok) ? 0 : 1);
