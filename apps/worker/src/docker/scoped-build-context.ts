import { lstatSync } from 'node:fs';
import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import dockerignore from '@balena/dockerignore';
import tar from 'tar-fs';
import { BerthError } from '@berth/shared/errors';
import { scopeDockerfile } from './build-cache-scope.ts';

const maxDockerfileBytes = 1024 * 1024;

/**
 * The build context as the daemon gets it: the source as it is, with the
 * Dockerfile's text scoped to the project (build-cache-scope.ts) in place of
 * the original, under the same name. The daemon then treats it as before (it
 * drops it from the context when `.dockerignore` names it, as the generated
 * builds' does); a Dockerfile that a `COPY` takes into the image carries the
 * added `LABEL` lines there. What the source's `.dockerignore` names is left
 * out, as `docker build` leaves it out (the daemon itself drops only the
 * Dockerfile and `.dockerignore`): a `COPY . .` does not take an ignored
 * `.env` into the image.
 */
export async function scopedBuildContext(contextDir: string, dockerfile: string, scope: string): Promise<NodeJS.ReadableStream> {
  const file = path.join(contextDir, dockerfile);
  const info = await lstat(file).catch(() => undefined);
  // A link could name a file of the worker's host: never read through one.
  if (!info?.isFile()) throw new BerthError('BUILD_FAILED', `the Dockerfile (${dockerfile}) must be a regular file (not a link or a folder)`);
  if (info.size > maxDockerfileBytes) throw new BerthError('BUILD_FAILED', `the Dockerfile is larger than ${maxDockerfileBytes} bytes`);
  const scoped = scopeDockerfile(await readFile(file, 'utf8'), scope);
  const ignored = await dockerignoreOf(contextDir);
  // Links are packed as links, never followed (tar-fs's default, spelled out
  // because the context is untrusted): Docker then resolves them inside the
  // context, so a `secret -> /etc/shadow` link cannot pull a host file in.
  const context = tar.pack(contextDir, {
    dereference: false,
    // Modes as the source has them (archive-modes.ts: 0o644/0o755), not narrowed by the worker's
    // umask (077 under `npm run up`), which would leave root-only files for an app that runs as a user.
    umask: 0,
    ignore: (name) => name === file || ignored(name),
    finalize: false,
    finish: (pack) => {
      pack.entry({ name: path.relative(contextDir, file), mode: info.mode & 0o7777, mtime: info.mtime, uid: info.uid, gid: info.gid }, scoped);
      pack.finalize();
    },
  } as tar.PackOptions); // `umask` is tar-fs's, missing from its types
  return context as unknown as NodeJS.ReadableStream;
}

/**
 * Whether `.dockerignore` (Docker's own rules: @balena/dockerignore is a port of them) leaves an
 * absolute path of the context out. `.dockerignore` itself stays (the daemon reads it). A folder
 * is skipped whole only when no `!` line could bring something in it back, as the docker CLI does.
 */
async function dockerignoreOf(contextDir: string): Promise<(name: string) => boolean> {
  const file = path.join(contextDir, '.dockerignore');
  const info = await lstat(file).catch(() => undefined);
  if (!info?.isFile()) return () => false;
  if (info.size > maxDockerfileBytes) throw new BerthError('BUILD_FAILED', `.dockerignore is larger than ${maxDockerfileBytes} bytes`);
  const lines = (await readFile(file, 'utf8')).split(/\r?\n/).filter((l) => l.trim() && !l.trimStart().startsWith('#'));
  const rules = dockerignore({ ignorecase: false }).add(lines);
  const exceptions = lines.some((l) => l.trimStart().startsWith('!'));
  return (name) => {
    const relative = path.relative(contextDir, name);
    if (!relative || relative === '.dockerignore' || !rules.ignores(relative)) return false;
    return !exceptions || !lstatSync(name).isDirectory();
  };
}
