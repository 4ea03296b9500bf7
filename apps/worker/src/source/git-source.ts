import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { BerthError } from '@berth/shared/errors';
import { assertSafeGitRef, assertSafeGitUrl, resolveGitHost, type ResolvedGitHost } from '@berth/shared/git-url';

export interface CloneOptions {
  url: string;
  ref?: string | null | undefined;
  dest: string;
  timeoutMs: number;
  /** git has no size limit of its own: the clone is aborted once the directory grows past this. */
  maxBytes: number;
  /** GIT_ALLOW_PRIVATE_HOSTS: clone from local or private addresses too. */
  allowPrivateHosts: boolean;
  signal: AbortSignal;
  onLine: (line: string) => void;
}

/** Bytes under `dir` (files only, links not followed). */
export async function directorySize(dir: string): Promise<number> {
  let total = 0;
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const info = await lstat(path.join(entry.parentPath, entry.name)).catch(() => undefined);
    total += info?.size ?? 0;
  }
  return total;
}

/**
 * Shallow clone of one branch, tag or commit into `dest`; returns the commit it
 * checked out. The URL and ref are validated again here (never trust that the
 * API did), git may only speak http(s)/git (so a repo's submodules cannot
 * reach ext:: or file://) and never prompts for credentials.
 */
export async function cloneRepository(options: CloneOptions): Promise<string> {
  assertSafeGitUrl(options.url);
  if (options.ref) assertSafeGitRef(options.ref);
  // Resolved once and pinned: a second lookup (or a redirect) must not lead git somewhere local.
  const host = await resolveGitHost(options.url, { allowPrivate: options.allowPrivateHosts });
  const { url, config } = pinnedClone(options.url, host);
  const tooBig = new AbortController();
  const deadline = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs), tooBig.signal]);
  const watch = watchSize(options.dest, options.maxBytes, tooBig);
  const git = simpleGit({
    baseDir: options.dest,
    abort: deadline,
    timeout: { block: Math.min(options.timeoutMs, 60_000) },
    allowEnvironment: ['GIT_ALLOW_PROTOCOL', 'GIT_TERMINAL_PROMPT'],
    config,
    progress: ({ stage, progress }) => options.onLine(`git: ${stage} ${progress}%`),
  }).env({
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: options.dest,
    GIT_ALLOW_PROTOCOL: 'http:https:git',
    GIT_TERMINAL_PROMPT: '0',
  });
  try {
    await shallowFetch(git, url, options.dest, options.ref);
    // A final check: a fast clone can finish between two measurements.
    if ((await directorySize(options.dest)) > options.maxBytes) tooBig.abort();
  } catch (err) {
    if (options.signal.aborted) throw err;
    if (tooBig.signal.aborted) {
      throw new BerthError('SOURCE_TOO_LARGE', `the repository is larger than ${options.maxBytes} bytes`, { cause: err });
    }
    const message = err instanceof Error ? err.message.trim().split('\n').slice(-3).join(' ') : String(err);
    const timedOut = deadline.aborted;
    throw new BerthError(
      'GIT_CLONE_FAILED',
      timedOut ? `git clone did not finish within ${options.timeoutMs} ms` : `git clone failed: ${message}`,
      { cause: err },
    );
  } finally {
    clearInterval(watch);
  }
  if (tooBig.signal.aborted) {
    throw new BerthError('SOURCE_TOO_LARGE', `the repository is larger than ${options.maxBytes} bytes`);
  }
  return (await simpleGit({ baseDir: options.dest }).env({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: options.dest }).revparse(['HEAD'])).trim();
}

/** One branch or tag (`git clone --depth 1`), or exactly one commit (init, fetch, checkout) into `dest`. */
async function shallowFetch(git: SimpleGit, url: string, dest: string, ref: string | null | undefined): Promise<void> {
  if (ref && /^[0-9a-f]{40}$/.test(ref)) {
    // A commit id: fetch exactly that commit (servers allow it for reachable commits).
    await git.init().addRemote('origin', url);
    await git.fetch(['--depth', '1', '--no-tags', 'origin', ref]);
    await git.checkout(['--detach', 'FETCH_HEAD']);
    return;
  }
  const args = ['--depth', '1', '--single-branch', '--no-tags'];
  if (ref) args.push('--branch', ref);
  await git.clone(url, dest, args);
}

/** Measures `dir` every 250 ms (one measurement at a time) and aborts `tooBig` once it is over `maxBytes`; clearInterval ends it. */
function watchSize(dir: string, maxBytes: number, tooBig: AbortController): NodeJS.Timeout {
  let measuring = false;
  return setInterval(() => {
    if (measuring) return;
    measuring = true;
    void directorySize(dir)
      .then((size) => {
        if (size > maxBytes) tooBig.abort();
      })
      .finally(() => (measuring = false));
  }, 250);
}

/**
 * How to make git use the address that was checked: http(s) keeps its host
 * name (TLS, virtual hosts) and gets curl's resolve pin; git:// dials the
 * address itself. Redirects are never followed (one could point anywhere).
 */
export function pinnedClone(raw: string, host: ResolvedGitHost): { url: string; config: string[] } {
  const url = new URL(raw);
  const config = ['http.followRedirects=false'];
  if (url.protocol === 'git:') {
    url.hostname = host.address.includes(':') ? `[${host.address}]` : host.address;
    return { url: url.toString(), config };
  }
  const address = host.address.includes(':') ? `[${host.address}]` : host.address;
  config.push(`http.curloptResolve=${host.hostname}:${host.port}:${address}`);
  return { url: raw, config };
}
