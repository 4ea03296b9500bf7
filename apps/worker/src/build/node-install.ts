import { BerthError } from '@berth/shared/errors';
import type { BuildOverrides } from '@berth/shared/build-overrides';
import type { InstallStep, PackageManager, SourceFiles } from './build-plan.ts';
import type { PackageJson } from './build-manifests.ts';

/** How a Node project's dependencies are installed (and pruned): its package manager and lockfiles decide. */

export function packageManager(files: SourceFiles, pkg: PackageJson): { manager: PackageManager; why: string } {
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

export function installStep(files: SourceFiles, pkg: PackageJson, manager: PackageManager, overrides: BuildOverrides): InstallStep {
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

function exhaustive(x: never): never {
  throw new Error(`unexpected ${String(x)}`);
}
