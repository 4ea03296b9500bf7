import { BerthError } from '@berth/shared/errors';
import { buildOverridesSchema, type BuildOverrides } from '@berth/shared/build-overrides';
import { resolveNodeMajor, type Offered } from './node-version.ts';

/**
 * What Berth builds when a source has no Dockerfile, decided from its files
 * alone (pure: files in, plan out; `generated-dockerfile.ts` turns the plan
 * into a Dockerfile). Like railpack, first match wins: a `package.json` is a
 * Node project, else an `index.html` at the root or in `public/` is a static
 * site. A `berth.json` overrides what is detected.
 */
export interface SourceFiles {
  /** Paths relative to rootDir that exist (files or folders): the top level, and `public/index.html`. */
  paths: ReadonlySet<string>;
  /** The text of the files detection reads, when they exist as regular files. */
  texts: Partial<Record<'package.json' | 'berth.json' | '.nvmrc' | '.node-version', string>>;
}

export type PackageManager = 'npm' | 'pnpm' | 'yarn';

/** A Node project's install: which files key its layer and what runs. */
export interface InstallStep {
  packageManager: PackageManager;
  /** Copied before the install (manifest, lockfile, `.npmrc`, local `file:` dependencies): the layer's cache key. */
  files: string[];
  /** Shell command; undefined when there is nothing to install. */
  command: string | undefined;
  /** Removes devDependencies after the build (undefined: they stay). */
  prune: string | undefined;
}

interface NodeBase {
  major: string;
  install: InstallStep;
  /** Shell command (`npm run build`), or undefined. */
  build: string | undefined;
  /** Node's build-stage image has npm (and Corepack); the app's does not unless it needs it. */
  needsCorepack: boolean;
}

/** A Node server: built, then started with `start`. */
export interface NodeAppPlan extends NodeBase {
  kind: 'node';
  /** Shell command the container runs (`sh -c`), or a file for `node`. */
  start: { shell: string } | { node: string };
  /** The start command calls npm / npx / a package manager: the running image keeps npm. */
  startNeedsNpm: boolean;
}

/** A Node project whose build writes a static site (Vite, CRA, Astro static, Next export). */
export interface NodeStaticPlan extends NodeBase {
  kind: 'node-static';
  build: string;
  /** Where the build writes the site; undefined: the first of `dist`, `build`, `out` that exists. */
  outputDir: string | undefined;
  spa: boolean;
}

/** Files served as they are. */
export interface StaticPlan {
  kind: 'static';
  /** `.` or a folder under rootDir. */
  dir: string;
  spa: boolean;
}

export type BuildPlan = (NodeAppPlan | NodeStaticPlan | StaticPlan) & {
  /** One line per decision and why ("node: 22 from engines.node \">=22\""), for the build log. */
  detected: string[];
};

export interface DetectOptions {
  /** Offered Node majors and their exact versions. */
  offered: Offered;
  /** The major used when the project names none. */
  defaultMajor: string;
}

/** Output folders of common static builds, in the order they are tried. */
export const staticOutputDirs = ['dist', 'build', 'out'] as const;

/** Dependencies that make a built site a single-page app (its router needs the index.html fallback). */
const spaMarkers = ['react-scripts', 'vite', 'react-router', 'react-router-dom', 'vue-router', '@angular/core', '@tanstack/react-router', 'preact-router', 'svelte-spa-router'];
/** Site generators that write one page per route (no fallback). */
const multiPageMarkers = ['next', 'astro', 'gatsby', '@11ty/eleventy', '@sveltejs/kit', 'nuxt', 'vitepress', '@docusaurus/core'];

interface PackageJson {
  name?: unknown;
  main?: unknown;
  scripts?: Record<string, unknown>;
  engines?: { node?: unknown };
  packageManager?: unknown;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  optionalDependencies?: Record<string, unknown>;
}

/** Throws MISSING_DOCKERFILE when nothing is detected, or the code of what is wrong. */
export function detectBuild(files: SourceFiles, options: DetectOptions): BuildPlan {
  const overrides = readOverrides(files.texts['berth.json']);
  const detected: string[] = [];
  if (files.texts['berth.json'] !== undefined) detected.push(`overrides: berth.json (${Object.keys(overrides).join(', ') || 'no keys'})`);
  const pkgText = files.texts['package.json'];
  if (pkgText !== undefined) return { ...detectNode(files, parsePackageJson(pkgText), overrides, options, detected), detected };

  const dir = overrides.outputDir?.replace(/\/$/, '') ?? (files.paths.has('index.html') ? '.' : files.paths.has('public/index.html') ? 'public' : undefined);
  if (dir === undefined) {
    throw new BerthError(
      'MISSING_DOCKERFILE',
      'no Dockerfile, package.json or index.html found (a Dockerfile is built; a package.json is a Node project; an index.html, at the root or in public/, is a static site)',
    );
  }
  const spa = overrides.spa ?? false;
  detected.push(
    overrides.outputDir
      ? `static site: ${dir}/ (outputDir in berth.json; no package.json)`
      : `static site: ${dir === '.' ? 'index.html at the root' : 'public/index.html'} and no package.json`,
  );
  detected.push(spa ? 'single-page app: unknown paths get /index.html (spa in berth.json)' : 'pages: unknown paths are 404 (set "spa": true in berth.json for a single-page app)');
  return { kind: 'static', dir, spa, detected };
}

function detectNode(
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
  const scripts = pkg.scripts ?? {};
  const run = (script: string) => (manager === 'npm' ? `npm run ${script}` : `corepack ${manager} run ${script}`);
  let build: string | undefined;
  if (overrides.build === false) {
    detected.push('build: none (build is false in berth.json)');
  } else if (overrides.build) {
    build = overrides.build;
    detected.push(`build: ${build} (berth.json)`);
  } else if (typeof scripts.build === 'string') {
    build = run('build');
    detected.push(`build: ${build} (scripts.build in package.json)`);
  } else {
    detected.push('build: none (no scripts.build in package.json)');
  }
  const base = { major, install, build, needsCorepack: manager !== 'npm' };

  const start = startCommand(files, pkg, overrides);
  if (!start) {
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
  detected.push(`start: ${'shell' in start.command ? start.command.shell : `node ${start.command.node}`} (${start.why})`);
  const startNeedsNpm = 'shell' in start.command && /(^|[\s;&|(])(npm|npx|corepack|pnpm|pnpx|yarn)(\s|$)/.test(start.command.shell);
  const devDeps = Object.keys(pkg.devDependencies ?? {});
  // A word of the start command named like a devDependency (its bin, usually): `tsx src/a.ts`, `vite preview`.
  const startWords = 'shell' in start.command ? start.command.shell.split(/[\s;&|()]+/).map((w) => w.replace(/^.*\//, '')) : [];
  const startUsesDev = devDeps.some((d) => startWords.includes(d.replace(/^@[^/]+\//, '')));
  let prune = install.prune;
  if (prune === undefined) {
    if (devDeps.length > 0 && install.command !== undefined) detected.push(`devDependencies: kept (Berth does not prune with ${manager})`);
  } else if (overrides.keepDevDependencies) {
    prune = undefined;
    detected.push('devDependencies: kept (keepDevDependencies in berth.json)');
  } else if (startUsesDev || startNeedsNpm) {
    prune = undefined;
    detected.push(`devDependencies: kept (the start command ${startNeedsNpm ? 'runs a package manager' : 'runs one of them'})`);
  } else {
    detected.push(`devDependencies: pruned from the running image (${prune})`);
  }
  return { ...base, install: { ...install, prune }, kind: 'node', start: start.command, startNeedsNpm };
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

function packageManager(files: SourceFiles, pkg: PackageJson): { manager: PackageManager; why: string } {
  if (typeof pkg.packageManager === 'string') {
    const name = /^(npm|pnpm|yarn)@/.exec(pkg.packageManager)?.[1] as PackageManager | undefined;
    if (!name) {
      throw new BerthError('UNSUPPORTED_PACKAGE_MANAGER', `packageManager "${pkg.packageManager}" in package.json: Berth builds with npm, pnpm or yarn`);
    }
    return { manager: name, why: `packageManager "${pkg.packageManager}" in package.json` };
  }
  if (files.paths.has('pnpm-lock.yaml')) return { manager: 'pnpm', why: 'pnpm-lock.yaml' };
  if (files.paths.has('yarn.lock')) return { manager: 'yarn', why: 'yarn.lock' };
  if (files.paths.has('package-lock.json')) return { manager: 'npm', why: 'package-lock.json' };
  if (files.paths.has('npm-shrinkwrap.json')) return { manager: 'npm', why: 'npm-shrinkwrap.json' };
  return { manager: 'npm', why: 'no lockfile; the default' };
}

function installStep(files: SourceFiles, pkg: PackageJson, manager: PackageManager, overrides: BuildOverrides): InstallStep {
  const lockfiles = ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock', '.npmrc', '.yarnrc.yml', 'pnpm-workspace.yaml'];
  const deps = { ...pkg.optionalDependencies, ...pkg.dependencies, ...pkg.devDependencies };
  const local = localDependencyPaths(deps);
  const keyFiles = ['package.json', ...lockfiles.filter((f) => files.paths.has(f)), ...local];
  const hasDeps = Object.keys(deps).length > 0;
  const hasDev = Object.keys(pkg.devDependencies ?? {}).length > 0;
  if (overrides.install) return { packageManager: manager, files: keyFiles, command: overrides.install, prune: hasDev ? pruneCommand(manager) : undefined };
  if (!hasDeps) return { packageManager: manager, files: keyFiles, command: undefined, prune: undefined };
  let command: string;
  switch (manager) {
    case 'npm':
      command = files.paths.has('package-lock.json') || files.paths.has('npm-shrinkwrap.json') ? 'npm ci' : 'npm install';
      break;
    case 'pnpm':
      command = files.paths.has('pnpm-lock.yaml') ? 'corepack pnpm install --frozen-lockfile' : 'corepack pnpm install';
      break;
    case 'yarn': {
      const berry = files.paths.has('.yarnrc.yml') || /^yarn@([2-9]|\d{2,})/.test(String(pkg.packageManager ?? ''));
      command = files.paths.has('yarn.lock') ? `corepack yarn install ${berry ? '--immutable' : '--frozen-lockfile'}` : 'corepack yarn install';
      break;
    }
    default:
      return exhaustive(manager);
  }
  return { packageManager: manager, files: keyFiles, command, prune: hasDev ? pruneCommand(manager) : undefined };
}

function pruneCommand(manager: PackageManager): string | undefined {
  switch (manager) {
    case 'npm':
      return 'npm prune --omit=dev';
    case 'pnpm':
      return 'corepack pnpm prune --prod';
    case 'yarn':
      return undefined; // yarn has no prune; its devDependencies stay (documented)
    default:
      return exhaustive(manager);
  }
}

/**
 * `file:` dependencies inside rootDir (a folder or a packed tarball): the
 * install needs them, so they join its layer. One outside rootDir cannot be
 * in the build context at all.
 */
function localDependencyPaths(deps: Record<string, unknown>): string[] {
  const out = new Set<string>();
  for (const [name, spec] of Object.entries(deps)) {
    if (typeof spec !== 'string' || !spec.startsWith('file:')) continue;
    const rel = spec.slice('file:'.length).replace(/^\.\//, '').replace(/\/$/, '');
    if (!/^[A-Za-z0-9._@+-]+(\/[A-Za-z0-9._@+-]+)*$/.test(rel) || rel.split('/').some((p) => p === '..' || p === '.')) {
      throw new BerthError(
        'INVALID_BUILD_CONFIG',
        `dependency ${name} is "${spec}": a file: dependency must be a plain relative path inside rootDir (it is copied into the build)`,
      );
    }
    out.add(rel);
  }
  return [...out].sort();
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

function readOverrides(text: string | undefined): BuildOverrides {
  if (text === undefined) return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new BerthError('INVALID_BUILD_CONFIG', `berth.json is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = buildOverridesSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new BerthError('INVALID_BUILD_CONFIG', `berth.json: ${where}: ${issue.message}`);
  }
  return parsed.data;
}

function parsePackageJson(text: string): PackageJson {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new BerthError('INVALID_BUILD_CONFIG', `package.json is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new BerthError('INVALID_BUILD_CONFIG', 'package.json must be a JSON object');
  }
  const pkg = json as PackageJson;
  for (const key of ['scripts', 'dependencies', 'devDependencies', 'optionalDependencies', 'engines'] as const) {
    const v = pkg[key];
    if (v !== undefined && (typeof v !== 'object' || v === null || Array.isArray(v))) {
      throw new BerthError('INVALID_BUILD_CONFIG', `package.json: ${key} must be an object`);
    }
  }
  return pkg;
}

function exhaustive(x: never): never {
  throw new Error(`unexpected ${String(x)}`);
}
