import { describe, expect, it } from 'vitest';
import { detectBuild, type BuildPlan, type SourceFiles } from '../../src/build/detect-build.ts';
import { resolveNodeMajor } from '../../src/build/node-version.ts';

const offered = { '20': '20.20.2', '22': '22.23.3', '24': '24.21.0', '26': '26.10.0' };
const options = { offered, defaultMajor: '24' };

/** A source from file names and contents (JSON values are stringified). */
function source(files: Record<string, unknown>): SourceFiles {
  const paths = new Set<string>();
  const texts: SourceFiles['texts'] = {};
  for (const [name, content] of Object.entries(files)) {
    paths.add(name.startsWith('public/') ? name : name.split('/')[0]!);
    if (name === 'public/index.html') paths.add('public');
    if (name === 'package.json' || name === 'berth.json' || name === '.nvmrc' || name === '.node-version') {
      texts[name] = typeof content === 'string' ? content : JSON.stringify(content);
    }
  }
  return { paths, texts };
}

const detect = (files: Record<string, unknown>) => detectBuild(source(files), options);
const failure = (files: Record<string, unknown>) => {
  try {
    detect(files);
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('detection did not fail');
};
const node = (plan: BuildPlan) => {
  if (plan.kind !== 'node') throw new Error(`expected a Node app, got ${plan.kind}`);
  return plan;
};

describe('Node version', () => {
  it.each([
    ['>=22', '26'],
    ['>=20 <23', '22'],
    ['^20.1.0', '20'],
    ['~22.23', '22'],
    ['22.x', '22'],
    ['22', '22'],
    ['v24.21.0', '24'],
    ['20.11.1', '20'],
    ['24.21', '24'],
    ['20 || 22', '22'],
    ['20 - 22', '22'],
    ['>= 24', '26'],
    ['*', '26'],
    ['lts/*', '26'],
    ['lts/iron', '20'],
    ['lts/jod', '22'],
    ['LTS/Krypton', '24'],
    ['node', '26'],
    ['<22', '20'],
    ['<=22', '22'],
    ['>22', '26'],
    ['>22 <25', '24'],
    ['^22 || ^24', '24'],
  ])('%s → %s', (spec, major) => {
    expect(resolveNodeMajor(spec, offered)).toBe(major);
  });

  it.each(['18', '18.x', '^18', '<20', '>=27', 'lts/hydrogen', 'lts/unknown', 'banana', '18.20.4', '>=20 <20.1'])('%s → none offered', (spec) => {
    expect(resolveNodeMajor(spec, offered)).toBeUndefined();
  });

  it('takes engines.node before .nvmrc before .node-version, and says where it came from', () => {
    const plan = detect({ 'package.json': { engines: { node: '20.x' }, main: 'a.js' }, '.nvmrc': '22', '.node-version': '24' });
    expect(node(plan).major).toBe('20');
    expect(plan.detected).toContain('node: 20 (Node 20.20.2; engines.node in package.json: "20.x"; offered majors: 20, 22, 24, 26)');
    expect(node(detect({ 'package.json': { main: 'a.js' }, '.nvmrc': 'lts/jod\n', '.node-version': '24' })).major).toBe('22');
    expect(node(detect({ 'package.json': { main: 'a.js' }, '.node-version': 'v20.11.1\n' })).major).toBe('20');
  });

  it('reads .nvmrc past comments and blank lines', () => {
    expect(node(detect({ 'package.json': { main: 'a.js' }, '.nvmrc': '# pinned\n\n22 # current\n' })).major).toBe('22');
  });

  it("uses Berth's default when nothing names a version", () => {
    const plan = detect({ 'package.json': { main: 'a.js' } });
    expect(node(plan).major).toBe('24');
    expect(plan.detected[0]).toBe("node: 24 (Node 24.21.0; Berth's default: no engines.node, .nvmrc or .node-version)");
  });

  it('berth.json wins over engines.node', () => {
    expect(node(detect({ 'package.json': { engines: { node: '20' }, main: 'a.js' }, 'berth.json': { node: '22' } })).major).toBe('22');
  });

  it('fails UNSUPPORTED_NODE_VERSION naming the offered majors', () => {
    const err = failure({ 'package.json': { engines: { node: '18.x' }, main: 'a.js' } });
    expect(err.code).toBe('UNSUPPORTED_NODE_VERSION');
    expect(err.message).toBe('engines.node in package.json asks for Node "18.x", which Berth does not offer; offered majors: 20, 22, 24, 26');
    expect(failure({ 'package.json': { main: 'a.js' }, '.nvmrc': 'lts/hydrogen' }).code).toBe('UNSUPPORTED_NODE_VERSION');
  });
});

describe('package manager and install', () => {
  it('npm ci with a lockfile, keyed on the manifest and lockfile only', () => {
    const plan = node(detect({ 'package.json': { dependencies: { a: '1' }, main: 'a.js' }, 'package-lock.json': '{}', 'src/x.js': '' }));
    expect(plan.install).toEqual({ packageManager: 'npm', files: ['package.json', 'package-lock.json'], command: 'npm ci', prune: undefined });
  });

  it('npm install without one', () => {
    expect(node(detect({ 'package.json': { dependencies: { a: '1' }, main: 'a.js' } })).install.command).toBe('npm install');
  });

  it('nothing to install when there are no dependencies', () => {
    const plan = detect({ 'package.json': { main: 'a.js' }, 'package-lock.json': '{}' });
    expect(node(plan).install.command).toBeUndefined();
    expect(plan.detected).toContain('install: nothing to install (no dependencies)');
  });

  it('local file: dependencies join the install layer; .npmrc too', () => {
    const plan = node(
      detect({
        'package.json': { dependencies: { a: 'file:vendor/a-1.0.0.tgz', b: 'file:./libs/b/' }, main: 'a.js' },
        'package-lock.json': '{}',
        '.npmrc': '',
      }),
    );
    expect(plan.install.files).toEqual(['package.json', 'package-lock.json', '.npmrc', 'libs/b', 'vendor/a-1.0.0.tgz']);
  });

  it.each(['file:../shared', 'file:/etc', 'file:a b', 'file:x/../../y'])('refuses a file: dependency %s', (spec) => {
    const err = failure({ 'package.json': { dependencies: { a: spec }, main: 'a.js' } });
    expect(err.code).toBe('INVALID_BUILD_CONFIG');
    expect(err.message).toContain('inside rootDir');
  });

  it('pnpm from its lockfile, through Corepack', () => {
    const plan = node(detect({ 'package.json': { dependencies: { a: '1' }, devDependencies: { b: '1' }, main: 'a.js' }, 'pnpm-lock.yaml': '' }));
    expect(plan.install).toMatchObject({ packageManager: 'pnpm', command: 'corepack pnpm install --frozen-lockfile', prune: 'corepack pnpm prune --prod' });
    expect(plan.needsCorepack).toBe(true);
  });

  it('yarn 1 and yarn berry', () => {
    expect(node(detect({ 'package.json': { dependencies: { a: '1' }, main: 'a.js' }, 'yarn.lock': '' })).install.command).toBe(
      'corepack yarn install --frozen-lockfile',
    );
    expect(
      node(detect({ 'package.json': { dependencies: { a: '1' }, main: 'a.js', packageManager: 'yarn@4.1.0' }, 'yarn.lock': '' })).install.command,
    ).toBe('corepack yarn install --immutable');
  });

  it('packageManager wins over lockfiles', () => {
    const plan = detect({ 'package.json': { dependencies: { a: '1' }, main: 'a.js', packageManager: 'pnpm@9.0.0' }, 'package-lock.json': '{}' });
    expect(node(plan).install.packageManager).toBe('pnpm');
    expect(plan.detected).toContain('package manager: pnpm (packageManager "pnpm@9.0.0" in package.json)');
  });

  it('refuses a package manager it does not know', () => {
    expect(failure({ 'package.json': { main: 'a.js', packageManager: 'bun@1.1.0' } }).code).toBe('UNSUPPORTED_PACKAGE_MANAGER');
  });

  it('berth.json install replaces the detected one', () => {
    const plan = detect({ 'package.json': { dependencies: { a: '1' }, main: 'a.js' }, 'berth.json': { install: 'npm ci --ignore-scripts' } });
    expect(node(plan).install.command).toBe('npm ci --ignore-scripts');
  });
});

describe('build and start', () => {
  it('npm run build when scripts.build exists; start from scripts.start', () => {
    const plan = node(detect({ 'package.json': { scripts: { build: 'tsc', start: 'node dist/index.js' } } }));
    expect(plan.build).toBe('npm run build');
    expect(plan.start).toEqual({ shell: 'node dist/index.js' });
  });

  it('start falls back to main, then index.js, then server.js', () => {
    expect(node(detect({ 'package.json': { main: './lib/app.js' } })).start).toEqual({ node: 'lib/app.js' });
    expect(node(detect({ 'package.json': {}, 'index.js': '', 'server.js': '' })).start).toEqual({ node: 'index.js' });
    const plan = detect({ 'package.json': {}, 'server.js': '' });
    expect(node(plan).start).toEqual({ node: 'server.js' });
    expect(plan.detected).toContain('start: node server.js (server.js (no scripts.start or main))');
  });

  it('fails NO_START_COMMAND with nothing to start and nothing to build', () => {
    const err = failure({ 'package.json': { name: 'x', dependencies: { a: '1' } }, 'lib.js': '' });
    expect(err.code).toBe('NO_START_COMMAND');
    expect(err.message).toMatch(/no scripts\.start, no main/);
  });

  it('refuses a main that leaves the project', () => {
    expect(failure({ 'package.json': { main: '../../etc/passwd' } }).code).toBe('INVALID_BUILD_CONFIG');
  });

  it('berth.json build and start win; build false skips the build', () => {
    const plan = node(detect({ 'package.json': { scripts: { build: 'x', start: 'y' } }, 'berth.json': { build: 'make site', start: 'node a.js' } }));
    expect(plan.build).toBe('make site');
    expect(plan.start).toEqual({ shell: 'node a.js' });
    expect(node(detect({ 'package.json': { scripts: { build: 'x', start: 'y' } }, 'berth.json': { build: false } })).build).toBeUndefined();
  });

  it('pnpm builds run through Corepack', () => {
    expect(node(detect({ 'package.json': { scripts: { build: 'x' }, main: 'a.js' }, 'pnpm-lock.yaml': '' })).build).toBe('corepack pnpm run build');
  });
});

describe('devDependencies', () => {
  const pkg = { scripts: { build: 'tsc', start: 'node dist/a.js' }, dependencies: { a: '1' }, devDependencies: { typescript: '5' } };

  it('are pruned when start does not need them', () => {
    const plan = detect({ 'package.json': pkg, 'package-lock.json': '{}' });
    expect(node(plan).install.prune).toBe('npm prune --omit=dev');
    expect(plan.detected).toContain('devDependencies: pruned from the running image (npm prune --omit=dev)');
  });

  it('are kept when start runs one of them', () => {
    const plan = detect({ 'package.json': { ...pkg, scripts: { start: 'tsx src/a.ts' }, devDependencies: { tsx: '4' } } });
    expect(node(plan).install.prune).toBeUndefined();
    expect(plan.detected).toContain('devDependencies: kept (the start command runs one of them)');
    expect(node(detect({ 'package.json': { ...pkg, scripts: { start: './node_modules/.bin/tsx src/a.ts' }, devDependencies: { tsx: '4' } } })).install.prune).toBeUndefined();
    // A scoped one by its bin name.
    expect(node(detect({ 'package.json': { ...pkg, scripts: { start: 'nest start' }, devDependencies: { '@x/nest': '1' } } })).install.prune).toBeUndefined();
  });

  it('are kept, with npm in the running image, when start runs a package manager', () => {
    const plan = node(detect({ 'package.json': { ...pkg, scripts: { start: 'npm run serve' } } }));
    expect(plan.startNeedsNpm).toBe(true);
    expect(plan.install.prune).toBeUndefined();
  });

  it('are kept on request', () => {
    const plan = detect({ 'package.json': pkg, 'berth.json': { keepDevDependencies: true } });
    expect(node(plan).install.prune).toBeUndefined();
    expect(plan.detected).toContain('devDependencies: kept (keepDevDependencies in berth.json)');
  });

  it('none to prune without devDependencies; yarn does not prune', () => {
    expect(node(detect({ 'package.json': { ...pkg, devDependencies: {} } })).install.prune).toBeUndefined();
    const yarn = detect({ 'package.json': pkg, 'yarn.lock': '' });
    expect(node(yarn).install.prune).toBeUndefined();
    expect(yarn.detected).toContain('devDependencies: kept (Berth does not prune with yarn)');
  });
});

describe('static sites', () => {
  it('index.html at the root, no package.json: served as files, no SPA fallback', () => {
    const plan = detect({ 'index.html': '', 'about.html': '' });
    expect(plan).toMatchObject({ kind: 'static', dir: '.', spa: false });
    expect(plan.detected[0]).toBe('static site: index.html at the root and no package.json');
  });

  it('public/index.html', () => {
    expect(detect({ 'public/index.html': '', 'README.md': '' })).toMatchObject({ kind: 'static', dir: 'public' });
  });

  it('spa and outputDir from berth.json', () => {
    expect(detect({ 'index.html': '', 'berth.json': { spa: true } })).toMatchObject({ kind: 'static', spa: true });
    expect(detect({ 'site/x': '', 'berth.json': { outputDir: 'site/' } })).toMatchObject({ kind: 'static', dir: 'site' });
  });

  it('a package.json wins over an index.html', () => {
    expect(detect({ 'package.json': { main: 'a.js' }, 'index.html': '' }).kind).toBe('node');
  });

  it('a Node project that builds and has no start command serves its build output', () => {
    const plan = detect({ 'package.json': { scripts: { build: 'vite build' }, devDependencies: { vite: '5', react: '18' } }, 'index.html': '' });
    expect(plan).toMatchObject({ kind: 'node-static', build: 'npm run build', outputDir: undefined, spa: true });
    expect(plan.detected).toContain('static site: built by npm run build into the first of dist/, build/, out/ it writes (no start command)');
  });

  it('SPA from the framework: CRA, a Vite plugin, a router; not Next, Astro', () => {
    const built = (deps: Record<string, string>) => detect({ 'package.json': { scripts: { build: 'b' }, dependencies: deps } });
    expect(built({ 'react-scripts': '5' })).toMatchObject({ spa: true });
    expect(built({ '@vitejs/plugin-vue': '5' })).toMatchObject({ spa: true });
    expect(built({ 'vue-router': '4' })).toMatchObject({ spa: true });
    expect(built({ next: '15', react: '18' })).toMatchObject({ spa: false });
    expect(built({ astro: '4', vite: '5' })).toMatchObject({ spa: false });
    expect(built({ lodash: '4' })).toMatchObject({ spa: false });
  });

  it('outputDir and spa from berth.json for a built site', () => {
    const plan = detect({ 'package.json': { scripts: { build: 'b' } }, 'berth.json': { outputDir: 'public/build', spa: false } });
    expect(plan).toMatchObject({ kind: 'node-static', outputDir: 'public/build', spa: false });
  });

  it('nothing detected: MISSING_DOCKERFILE saying what would be', () => {
    const err = failure({ 'index.js': '', 'README.md': '' });
    expect(err.code).toBe('MISSING_DOCKERFILE');
    expect(err.message).toMatch(/no Dockerfile, package.json or index.html/);
  });
});

describe('bad configuration files', () => {
  it.each([
    [{ 'berth.json': '{ nope' }, /berth\.json is not valid JSON/],
    [{ 'berth.json': { nodee: '20' } }, /berth\.json: \(top level\): Unrecognized key/],
    [{ 'berth.json': { spa: 'yes' } }, /berth\.json: spa: /],
    [{ 'berth.json': { start: 'a\nADD http://x /y' } }, /berth\.json: start: must be one line/],
    [{ 'berth.json': { outputDir: '../etc' } }, /berth\.json: outputDir: must stay inside rootDir/],
    [{ 'berth.json': { build: '' } }, /berth\.json: build/],
    [{ 'berth.json': [] }, /berth\.json/],
    [{ 'package.json': '{"name":' }, /package\.json is not valid JSON/],
    [{ 'package.json': '[]' }, /package\.json must be a JSON object/],
    [{ 'package.json': { scripts: 'build' } }, /package\.json: scripts must be an object/],
  ])('%j fails INVALID_BUILD_CONFIG', (files, message) => {
    const err = failure({ 'index.html': '', ...files });
    expect(err.code).toBe('INVALID_BUILD_CONFIG');
    expect(err.message).toMatch(message);
  });

  it('says which overrides it read', () => {
    const plan = detect({ 'index.html': '', 'berth.json': { spa: true } });
    expect(plan.detected[0]).toBe('overrides: berth.json (spa)');
  });
});
