import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources (the "@berth/source" export condition), never to dist/.
const conditions = ['@berth/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  // Vitest's own environment, where the global setup runs.
  environments: { __vitest__: { resolve: { conditions } } },
  test: {
    // Tests that restart the Docker daemon disturb every other test: they run
    // alone, after the rest (scripts/test.sh sets BERTH_DISRUPTIVE=1 for that run).
    include: process.env.BERTH_DISRUPTIVE
      ? ['test/faults/disruptive/**/*.test.ts']
      : ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: process.env.BERTH_DISRUPTIVE ? [] : ['test/faults/disruptive/**', '**/node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    // Two cores: two files at a time keeps Docker builds from starving each other. The disruptive
    // files one at a time: each disturbs the others (a daemon restart, a second swarm node).
    maxWorkers: process.env.BERTH_DISRUPTIVE ? 1 : 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
