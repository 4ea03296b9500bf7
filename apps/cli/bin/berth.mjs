#!/usr/bin/env node
// Runs the CLI from its compiled JavaScript (`npm run build`, in this process), or through tsx
// when there is none or it was built from other sources than the ones here (a
// checkout edited and not rebuilt): dist/source-digest says what it was built
// from (scripts/build-package.mjs). tsx is resolved from Berth's own folder,
// so the CLI runs from any working directory.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const sources = readdirSync(`${pkg}src`, { recursive: true })
  .map((f) => `src/${f}`)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.test.ts'))
  .sort();
const digest = createHash('sha256');
for (const file of sources) digest.update(`${file}\0`).update(readFileSync(`${pkg}${file}`)).update('\0');
let built = '';
try {
  built = readFileSync(`${pkg}dist/source-digest`, 'utf8').trim();
} catch {}
if (built === digest.digest('hex')) {
  // The compiled CLI runs in this process (it reads the same process.argv): no second Node start-up.
  await import(`${pkg}dist/main.js`);
} else {
  const args = ['--conditions=@berth/source', '--import', import.meta.resolve('tsx'), `${pkg}src/main.ts`];
  const result = spawnSync(process.execPath, [...args, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
