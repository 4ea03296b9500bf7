import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Tests that restart the Docker daemon disturb every other test: they run
    // alone, after the rest (scripts/test.sh sets BERTH_DISRUPTIVE=1 for that run).
    include: process.env.BERTH_DISRUPTIVE
      ? ['test/faults/disruptive/**/*.test.ts']
      : ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: process.env.BERTH_DISRUPTIVE ? [] : ['test/faults/disruptive/**', '**/node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    // Two cores: two files at a time keeps Docker builds from starving each other.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
