import { lstat, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { BerthError } from '@berth/shared/errors';

/**
 * The build context: `rootDir` inside the source, which must exist, and
 * whether it holds a Dockerfile (without one Berth detects what to build).
 * The source is the attacker's: any component of `rootDir` may be
 * a symlink (to /etc, to a folder of the worker's host), so the check is on
 * real paths, and the real path is what gets built (nothing can swap a link
 * in between).
 */
export async function resolveContext(srcDir: string, rootDir: string): Promise<{ contextDir: string; hasDockerfile: boolean }> {
  const realSrc = await realpath(srcDir);
  const lexical = path.resolve(realSrc, rootDir || '.');
  if (!isInside(realSrc, lexical)) {
    throw new BerthError('INVALID_ROOT_DIR', `rootDir "${rootDir}" points outside the source`);
  }
  const contextDir = await realpath(lexical).catch(() => undefined);
  if (contextDir === undefined) {
    throw new BerthError('INVALID_ROOT_DIR', `rootDir "${rootDir}" is not a directory in the source`);
  }
  if (!isInside(realSrc, contextDir)) {
    throw new BerthError('INVALID_ROOT_DIR', `rootDir "${rootDir}" goes through a symbolic link that points outside the source`);
  }
  const dir = await stat(contextDir).catch(() => undefined);
  if (!dir?.isDirectory()) {
    throw new BerthError('INVALID_ROOT_DIR', `rootDir "${rootDir}" is not a directory in the source`);
  }
  // lstat: a Dockerfile that is a link would be read by Docker from wherever it
  // resolves inside the context, never what `stat` just looked at.
  const where = rootDir ? `${rootDir}/Dockerfile` : 'the root of the source';
  const dockerfile = await lstat(path.join(contextDir, 'Dockerfile')).catch(() => undefined);
  if (dockerfile?.isSymbolicLink()) {
    // The daemon resolves a link inside the build context, the worker on the host: they would
    // read two different files, and the one the policy checked would not be the one built.
    throw new BerthError('UNSAFE_DOCKERFILE', `the Dockerfile at ${where} is a symbolic link; it must be a regular file`);
  }
  if (dockerfile && !dockerfile.isFile()) {
    throw new BerthError('MISSING_DOCKERFILE', `the Dockerfile at ${where} is not a regular file`);
  }
  return { contextDir, hasDockerfile: dockerfile !== undefined };
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root + path.sep);
}
