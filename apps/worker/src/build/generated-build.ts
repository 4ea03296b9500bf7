import { lstat, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BerthError } from '@berth/shared/errors';
import { nodeRuntimes } from '@berth/shared/node-runtimes';
import { detectBuild, type BuildPlan, type SourceFiles } from './detect-build.ts';
import { detectedFiles } from './build-plan.ts';
import { readGoPackages } from './go-packages.ts';
import { pythonRuntime } from './language-runtimes.ts';
import { checkMarkers, generateDockerfile, nodeBuildImage, nodeRunImage, staticServerImage, type GeneratedTrust } from './generated-dockerfile.ts';

/** The file name the generated Dockerfile gets in the build context (the daemon drops it from the context). */
export const generatedDockerfileName = '.berth.Dockerfile';

/** Files detection reads (build-plan.ts names them): small, and regular files only. */
const maxTextBytes = 512 * 1024;

/**
 * A build without a Dockerfile: what was detected (one log line each), the
 * generated Dockerfile (logged too), written into the context, which is the
 * worker's own copy of the source. Throws the detection's typed errors.
 */
export async function prepareGeneratedBuild(
  contextDir: string,
  buildArgs: readonly string[],
  onLine: (line: string) => void,
  trust: GeneratedTrust = {},
): Promise<{ plan: BuildPlan; dockerfile: string; dockerfileName: string }> {
  const offered = Object.fromEntries(Object.entries(nodeRuntimes.majors).map(([major, r]) => [major, r.version]));
  const plan = detectBuild(await readSourceFiles(contextDir), { offered, defaultMajor: nodeRuntimes.pinned });
  onLine('no Dockerfile: building from what the source holds');
  for (const line of plan.detected) onLine(`detected ${line}`);
  const dockerfile = generateDockerfile(plan, buildArgs, trust);
  onLine('generated Dockerfile:');
  for (const line of dockerfile.trimEnd().split('\n')) onLine(`  ${line}`);
  await writeContextFiles(contextDir, dockerfile);
  return { plan, dockerfile, dockerfileName: generatedDockerfileName };
}

/** The top-level names of the context (and public/index.html), and the few files detection reads. */
export async function readSourceFiles(contextDir: string): Promise<SourceFiles> {
  const paths = new Set<string>(await readdir(contextDir));
  const pub = await lstat(path.join(contextDir, 'public', 'index.html')).catch(() => undefined);
  if (pub?.isFile() && (await lstat(path.join(contextDir, 'public'))).isDirectory()) paths.add('public/index.html');
  const texts: SourceFiles['texts'] = {};
  for (const name of detectedFiles) {
    if (!paths.has(name)) continue;
    // lstat: a link (to a file of the worker's host) is never read.
    const info = await lstat(path.join(contextDir, name));
    if (!info.isFile()) throw new BerthError('INVALID_BUILD_CONFIG', `${name} must be a regular file (not a link or a folder)`);
    if (info.size > maxTextBytes) throw new BerthError('INVALID_BUILD_CONFIG', `${name} is larger than ${maxTextBytes} bytes`);
    texts[name] = await readFile(path.join(contextDir, name), 'utf8');
  }
  return { paths, texts, ...(paths.has('go.mod') ? { go: await readGoPackages(contextDir, paths) } : {}) };
}

/**
 * The generated Dockerfile, and a .dockerignore naming it: the daemon then
 * drops both from the context, so `COPY . .` does not copy them. Uploaded
 * `node_modules` (built elsewhere) and `.git` are removed first: the install
 * makes node_modules, and the image carries no source-control folder.
 * Each name is removed before it is written, and written exclusively: a
 * link in the source with that name could otherwise point the write at a
 * file of the worker's host.
 */
async function writeContextFiles(contextDir: string, dockerfile: string): Promise<void> {
  for (const name of ['.git', 'node_modules', generatedDockerfileName, '.dockerignore']) {
    await rm(path.join(contextDir, name), { recursive: true, force: true });
  }
  await writeFile(path.join(contextDir, generatedDockerfileName), dockerfile, { flag: 'wx', mode: 0o644 });
  await writeFile(path.join(contextDir, '.dockerignore'), `${generatedDockerfileName}\n.dockerignore\n`, { flag: 'wx', mode: 0o644 });
}

/** The image a plan's app runs on (to say how much the build added). */
export function runImageOf(plan: BuildPlan): string {
  switch (plan.kind) {
    case 'static':
    case 'node-static':
      return staticServerImage;
    case 'node':
      return plan.startNeedsNpm ? nodeBuildImage(plan.major) : nodeRunImage(plan.major);
    case 'python':
      return pythonRuntime.image;
    case 'go':
      return 'scratch';
    default: {
      const never: never = plan;
      throw new Error(`unexpected plan ${String(never)}`);
    }
  }
}

/** A failed generated build in the words of its own checks (their codes), else as it was. */
export function explainGeneratedBuildFailure(err: unknown): unknown {
  if (!(err instanceof BerthError) || err.code !== 'BUILD_FAILED') return err;
  if (err.message.includes(checkMarkers.noStaticOutput)) {
    return new BerthError(
      'NO_START_COMMAND',
      'nothing to start: package.json has no start command (scripts.start, main, index.js, server.js) and the build wrote no static site to serve (dist/, build/ or out/; or set outputDir or start in berth.json)',
      { cause: err },
    );
  }
  if (err.message.includes(checkMarkers.noCorepack)) {
    return new BerthError(
      'UNSUPPORTED_PACKAGE_MANAGER',
      'this project uses pnpm or yarn, and the build image has no Corepack (the worker host had none when it was made); add a package-lock.json to build with npm, or a Dockerfile',
      { cause: err },
    );
  }
  return err;
}

/** "48.1 MB". */
export function formatBytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
