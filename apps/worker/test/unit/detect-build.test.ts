import { describe, expect, it } from 'vitest';
import { detect, failure, node } from './detect-fixtures.ts';

// Build detection: build and start commands, devDependencies, and configuration files it refuses.

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

  it('are pruned when start is `node …` beside @types/node (a type package is no command)', () => {
    const plan = detect({ 'package.json': { ...pkg, devDependencies: { typescript: '5', '@types/node': '24' } }, 'package-lock.json': '{}' });
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
