// `npm run build` in one workspace (turbo runs it in each and caches dist/):
// every TypeScript source file becomes one JavaScript file under dist/, at the
// same depth as under src/, with relative `.ts` imports rewritten to `.js`.
// Nothing is bundled: paths built from `import.meta.url` (the Node runtimes
// table, the base image script) resolve from dist/ as they do from src/, and
// dependencies load from node_modules as usual. Types are checked separately
// (`tsc --noEmit -p .`, part of `npm test`); this only strips them.
//
// Plain JavaScript on purpose: it has to run before anything is compiled.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { glob } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

/** Where each workspace keeps its sources (relative to the workspace; `dist/` mirrors it). */
const sourceRoots = { '@berth/migrations': '.' };

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const root = sourceRoots[pkg.name] ?? 'src';
const patterns = root === '.' ? ['*.ts', 'versions/*.ts'] : ['src/**/*.ts'];
const entryPoints = [];
for (const pattern of patterns) {
  for await (const file of glob(pattern)) if (!file.endsWith('.d.ts') && !file.endsWith('.test.ts')) entryPoints.push(file);
}

/** Every import stays an import; a relative one to a `.ts` file now names the `.js` file built from it. */
const keepImports = {
  name: 'keep-imports',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const relative = args.path.startsWith('./') || args.path.startsWith('../');
      return { path: relative ? args.path.replace(/\.ts$/, '.js') : args.path, external: true };
    });
  },
};

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints,
  outdir: 'dist',
  outbase: root,
  bundle: true, // only so that the plugin sees each import; it marks every one external
  plugins: [keepImports],
  platform: 'node',
  format: 'esm',
  target: 'node24',
  sourcemap: 'linked',
  logLevel: 'warning',
});
// What the output was built from, so a launcher can tell an outdated build (apps/cli/bin/berth.mjs).
const digest = createHash('sha256');
for (const file of [...entryPoints].sort()) digest.update(`${file}\0`).update(readFileSync(file)).update('\0');
writeFileSync('dist/source-digest', `${digest.digest('hex')}\n`);
console.log(`${pkg.name}: ${entryPoints.length} files → ${path.join(path.basename(process.cwd()), 'dist')}`);
