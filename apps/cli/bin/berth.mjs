#!/usr/bin/env node
// Runs the TypeScript CLI through tsx (the same way the platform's programs run).
// tsx is resolved from Berth's own folder, so the CLI runs from any working directory.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');
const result = spawnSync(process.execPath, ['--import', tsx, main, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
