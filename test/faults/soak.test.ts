import { expect, it } from 'vitest';
import { runSoak } from '../../bench/soak/run-soak.ts';

// The soak (bench/soak, `npm run soak`) for 60 seconds, small: two projects and one deployed by git pushes, a few viewers and clients,
// light chaos (a step every ~15 s: SIGKILL a worker, the API or router-sync, crash Caddy, restart the
// soak's own Redis or Postgres). Its invariants are the assertions. The leak check needs minutes of
// warm-up, so this short run reports RSS and descriptors without judging them (the long soak judges).
it('a minute of releases, rollbacks, cancels, git pushes, log viewers and app load under light chaos breaks no invariant', async () => {
  const outcome = await runSoak({
    durationMs: 60_000,
    chaos: 'light',
    projects: 2,
    pushes: true,
    viewers: 5,
    clients: 2,
    workers: 2,
    opEveryMs: 5000,
    chaosEveryMs: 15_000,
  });
  const broken = outcome.results.filter((r) => !r.ok);
  expect(broken, `${outcome.summary}\n${outcome.table}`).toEqual([]);
  expect(outcome.chaos.length).toBeGreaterThan(0);
}, 600_000);
