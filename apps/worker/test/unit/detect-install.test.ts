import { describe, expect, it } from 'vitest';
import { resolveNodeMajor } from '../../src/build/node-version.ts';
import { detect, failure, node, offered } from './detect-fixtures.ts';

// Build detection: which Node version, which package manager and how it installs.

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
