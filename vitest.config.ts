import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources (the "@berth/source" export condition), never to dist/.
const conditions = ['@berth/source', 'module', 'node', 'development|production'];

// The tiers (test/README.md): the folder a test file sits in names its tier, and so what it needs.
const inTier = (tier: string) => [`test/${tier}/**/*.test.ts`, `{apps,packages}/*/test/${tier}/**/*.test.ts`];
// Redis and Postgres (a migrated template database every file clones); the app network for containers.
const services = 'packages/testing/src/setup/services.ts';
const dockerNetwork = 'packages/testing/src/setup/docker-network.ts';

const tier = (name: string, globalSetup: string[], include = inTier(name), exclude: string[] = []) =>
  ({ test: { name, include, exclude: ['**/node_modules/**', ...exclude], globalSetup } }) satisfies TestProjectInlineConfiguration;

// Tests that restart the Docker daemon or join a second swarm node disturb every other test: they run
// alone, one at a time, after the rest (scripts/test.sh sets BERTH_DISRUPTIVE=1 for that run).
const disruptive = Boolean(process.env.BERTH_DISRUPTIVE);
const disruptiveFiles = 'test/faults/disruptive/**';

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  // Vitest's own environment, where the global setup runs.
  environments: { __vitest__: { resolve: { conditions } } },
  test: {
    // Inline projects inherit everything below (vitest 5); each adds its files and its global set-up.
    projects: disruptive
      ? [tier('faults', [services, dockerNetwork], [`${disruptiveFiles}/*.test.ts`])]
      : [
          // Pure logic around fakes: no services, no global set-up (npm run test:unit, seconds). Files share
          // their worker's module cache (no fresh process per file): the tier ran in half the time (15 s, was
          // 29-40 s); a unit test keeps no state in modules, env or globals, so sharing changes nothing else.
          { test: { ...tier('unit', []).test, isolate: false } },
          // Real Redis and Postgres.
          tier('integration', [services]),
          // Docker, Caddy, the built programs: the whole platform in one process (startStack) or as processes.
          tier('stack', [services, dockerNetwork]),
          // The dashboard in Chromium, on a stack. Alone, after the rest, one file at a time: its tests measure
          // the page's long tasks (a 200 ms budget) and wait on renders, which a Docker build on the other
          // core turns into failures that say nothing about the page (seen in a cold run).
          { test: { ...tier('browser', [services, dockerNetwork]).test, sequence: { groupOrder: 1 }, maxWorkers: 1 } },
          // Killed workers, crashed apps, limits; the disruptive ones are the run above.
          tier('faults', [services, dockerNetwork], inTier('faults'), [disruptiveFiles]),
        ],
    pool: 'forks',
    // Two cores: two files at a time keeps Docker builds from starving each other. The disruptive
    // files one at a time: each disturbs the others (a daemon restart, a second swarm node).
    maxWorkers: disruptive ? 1 : 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
