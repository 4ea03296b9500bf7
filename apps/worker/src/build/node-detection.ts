import { BerthError } from '@berth/shared/errors';
import type { BuildOverrides } from '@berth/shared/build-overrides';
import { staticOutputDirs, type DetectOptions, type InstallStep, type NodeAppPlan, type NodeBase, type NodeStaticPlan, type PackageManager, type SourceFiles } from './build-plan.ts';
import type { PackageJson } from './build-manifests.ts';
import { installStep, packageManager } from './node-install.ts';
import { resolveNodeMajor } from './node-version.ts';

/** Dependencies that make a built site a single-page app (its router needs the index.html fallback). */
const spaMarkers = ['react-scripts', 'vite', 'react-router', 'react-router-dom', 'vue-router', '@angular/core', '@tanstack/react-router', 'preact-router', 'svelte-spa-router'];
/** Site generators that write one page per route (no fallback). */
const multiPageMarkers = ['next', 'astro', 'gatsby', '@11ty/eleventy', '@sveltejs/kit', 'nuxt', 'vitepress', '@docusaurus/core'];

/**
 * The plan for a project with a package.json: a Node server when it has a
 * start command, else a static site its build writes. Each decision and its
 * reason goes to `detected` (the build log).
 */
export function detectNode(
  files: SourceFiles,
  pkg: PackageJson,
  overrides: BuildOverrides,
  options: DetectOptions,
  detected: string[],
): NodeAppPlan | NodeStaticPlan {
  const major = nodeMajor(files, pkg, overrides, options, detected);
  const { manager, why } = packageManager(files, pkg);
  detected.push(`package manager: ${manager} (${why})`);
  const install = installStep(files, pkg, manager, overrides);
  detected.push(
    install.command === undefined
      ? 'install: nothing to install (no dependencies)'
      : `install: ${install.command}${overrides.install ? ' (berth.json)' : ''} (its own layer, keyed on ${install.files.join(', ')})`,
  );
  const build = buildCommand(pkg, manager, overrides, detected);
  const base = { major, install, build, needsCorepack: manager !== 'npm' };
  const start = startCommand(files, pkg, overrides);
  if (!start) return nodeStaticPlan(base, pkg, overrides, detected);
  detected.push(`start: ${'shell' in start.command ? start.command.shell : `node ${start.command.node}`} (${start.why})`);
  const startNeedsNpm = 'shell' in start.command && /(^|[\s;&|(])(npm|npx|corepack|pnpm|pnpx|yarn)(\s|$)/.test(start.command.shell);
  const prune = pruneAfterBuild(pkg, install, manager, overrides, { command: start.command, needsNpm: startNeedsNpm }, detected);
  return { ...base, install: { ...install, prune }, kind: 'node', start: start.command, startNeedsNpm };
}

/** The build command: berth.json's, else scripts.build run by the package manager, else none. */
function buildCommand(pkg: PackageJson, manager: PackageManager, overrides: BuildOverrides, detected: string[]): string | undefined {
  if (overrides.build === false) {
    detected.push('build: none (build is false in berth.json)');
    return undefined;
  }
  if (overrides.build) {
    detected.push(`build: ${overrides.build} (berth.json)`);
    return overrides.build;
  }
  if (typeof pkg.scripts?.build === 'string') {
    const build = manager === 'npm' ? 'npm run build' : `corepack ${manager} run build`;
    detected.push(`build: ${build} (scripts.build in package.json)`);
    return build;
  }
  detected.push('build: none (no scripts.build in package.json)');
  return undefined;
}

/** No start command: the build must write a static site (NO_START_COMMAND when there is no build either). */
function nodeStaticPlan(base: NodeBase, pkg: PackageJson, overrides: BuildOverrides, detected: string[]): NodeStaticPlan {
  const build = base.build;
  if (build === undefined) {
    throw new BerthError(
      'NO_START_COMMAND',
      'nothing to start: package.json has no scripts.start, no main, there is no index.js or server.js, and no build script writes a static site (or set "start" in berth.json)',
    );
  }
  const outputDir = overrides.outputDir?.replace(/\/$/, '');
  const spa = overrides.spa ?? isSpa(pkg);
  detected.push(
    `static site: built by ${build} into ${outputDir ? `${outputDir}/ (berth.json)` : `the first of ${staticOutputDirs.join('/, ')}/ it writes`} (no start command)`,
  );
  detected.push(
    spa
      ? `single-page app: unknown paths get /index.html (${overrides.spa !== undefined ? 'spa in berth.json' : 'its dependencies are an SPA framework'})`
      : `pages: unknown paths are 404 (${overrides.spa !== undefined ? 'spa in berth.json' : 'set "spa": true in berth.json for a single-page app'})`,
  );
  return { ...base, kind: 'node-static', build, outputDir, spa };
}

/** The prune command to run after the build, or undefined when the devDependencies stay (and why). */
function pruneAfterBuild(
  pkg: PackageJson,
  install: InstallStep,
  manager: PackageManager,
  overrides: BuildOverrides,
  start: { command: NodeAppPlan['start']; needsNpm: boolean },
  detected: string[],
): string | undefined {
  const devDeps = Object.keys(pkg.devDependencies ?? {});
  // A word of the start command named like a devDependency (its bin, usually): `tsx src/a.ts`, `vite preview`.
  // Type packages have no bins: `@types/node` is not what `node dist/server.js` runs (every TypeScript app has it).
  const startWords = 'shell' in start.command ? start.command.shell.split(/[\s;&|()]+/).map((w) => w.replace(/^.*\//, '')) : [];
  const startUsesDev = devDeps.some((d) => !d.startsWith('@types/') && startWords.includes(d.replace(/^@[^/]+\//, '')));
  if (install.prune === undefined) {
    if (devDeps.length > 0 && install.command !== undefined) detected.push(`devDependencies: kept (Berth does not prune with ${manager})`);
    return undefined;
  }
  if (overrides.keepDevDependencies) {
    detected.push('devDependencies: kept (keepDevDependencies in berth.json)');
    return undefined;
  }
  if (startUsesDev || start.needsNpm) {
    detected.push(`devDependencies: kept (the start command ${start.needsNpm ? 'runs a package manager' : 'runs one of them'})`);
    return undefined;
  }
  detected.push(`devDependencies: pruned from the running image (${install.prune})`);
  return install.prune;
}

function nodeMajor(files: SourceFiles, pkg: PackageJson, overrides: BuildOverrides, options: DetectOptions, detected: string[]): string {
  const engines = typeof pkg.engines?.node === 'string' ? pkg.engines.node : undefined;
  const fromFile = (name: '.nvmrc' | '.node-version') => files.texts[name]?.split('\n').map((l) => l.replace(/#.*/, '').trim()).find(Boolean);
  const candidates: [string | undefined, string][] = [
    [overrides.node, 'node in berth.json'],
    [engines, 'engines.node in package.json'],
    [fromFile('.nvmrc'), '.nvmrc'],
    [fromFile('.node-version'), '.node-version'],
  ];
  const found = candidates.find(([spec]) => spec !== undefined && spec.trim() !== '');
  const offered = Object.keys(options.offered).join(', ');
  if (!found) {
    detected.push(`node: ${options.defaultMajor} (Node ${options.offered[options.defaultMajor]}; Berth's default: no engines.node, .nvmrc or .node-version)`);
    return options.defaultMajor;
  }
  const [spec, where] = found as [string, string];
  const major = resolveNodeMajor(spec, options.offered);
  if (!major) {
    throw new BerthError('UNSUPPORTED_NODE_VERSION', `${where} asks for Node "${spec}", which Berth does not offer; offered majors: ${offered}`);
  }
  detected.push(`node: ${major} (Node ${options.offered[major]}; ${where}: "${spec}"; offered majors: ${offered})`);
  return major;
}

function startCommand(
  files: SourceFiles,
  pkg: PackageJson,
  overrides: BuildOverrides,
): { command: NodeAppPlan['start']; why: string } | undefined {
  if (overrides.start) return { command: { shell: overrides.start }, why: 'berth.json' };
  const start = pkg.scripts?.start;
  if (typeof start === 'string' && start.trim()) {
    // Run directly (no npm in the running image): what `npm start` would run, node_modules/.bin on PATH.
    return { command: { shell: start.trim() }, why: 'scripts.start in package.json' };
  }
  if (typeof pkg.main === 'string' && pkg.main.trim()) {
    const main = pkg.main.trim().replace(/^\.\//, '');
    if (!/^[A-Za-z0-9._@+-]+(\/[A-Za-z0-9._@+-]+)*$/.test(main) || main.split('/').includes('..')) {
      throw new BerthError('INVALID_BUILD_CONFIG', `main "${pkg.main}" in package.json must be a relative path inside the project`);
    }
    return { command: { node: main }, why: 'main in package.json' };
  }
  for (const file of ['index.js', 'server.js']) {
    if (files.paths.has(file)) return { command: { node: file }, why: `${file} (no scripts.start or main)` };
  }
  return undefined;
}

function isSpa(pkg: PackageJson): boolean {
  const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
  const spa = deps.some((d) => spaMarkers.includes(d) || d.startsWith('@vitejs/plugin-'));
  return spa && !deps.some((d) => multiPageMarkers.includes(d));
}
