import { simpleGit } from 'simple-git';
import { BerthError } from '@berth/shared/errors';
import { assertSafeGitRef, assertSafeGitUrl } from '@berth/shared/git-url';

export interface CloneOptions {
  url: string;
  ref?: string | null | undefined;
  dest: string;
  timeoutMs: number;
  signal: AbortSignal;
  onLine: (line: string) => void;
}

/**
 * Shallow clone of one branch, tag or commit into `dest`. The URL and ref are
 * validated again here (never trust that the API did), git may only speak
 * http(s)/git (so a repo's submodules cannot reach ext:: or file://) and never
 * prompts for credentials.
 */
export async function cloneRepository(options: CloneOptions): Promise<void> {
  assertSafeGitUrl(options.url);
  if (options.ref) assertSafeGitRef(options.ref);
  const deadline = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
  const git = simpleGit({
    baseDir: options.dest,
    abort: deadline,
    timeout: { block: Math.min(options.timeoutMs, 60_000) },
    allowEnvironment: ['GIT_ALLOW_PROTOCOL', 'GIT_TERMINAL_PROMPT'],
    progress: ({ stage, progress }) => options.onLine(`git: ${stage} ${progress}%`),
  }).env({
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: options.dest,
    GIT_ALLOW_PROTOCOL: 'http:https:git',
    GIT_TERMINAL_PROMPT: '0',
  });
  try {
    const args = ['--depth', '1', '--single-branch', '--no-tags'];
    if (options.ref && !/^[0-9a-f]{40}$/.test(options.ref)) args.push('--branch', options.ref);
    if (options.ref && /^[0-9a-f]{40}$/.test(options.ref)) {
      // A commit id: fetch exactly that commit (servers allow it for reachable commits).
      await git.init().addRemote('origin', options.url);
      await git.fetch(['--depth', '1', '--no-tags', 'origin', options.ref]);
      await git.checkout(['--detach', 'FETCH_HEAD']);
    } else {
      await git.clone(options.url, options.dest, args);
    }
  } catch (err) {
    if (options.signal.aborted) throw err;
    const message = err instanceof Error ? err.message.trim().split('\n').slice(-3).join(' ') : String(err);
    const timedOut = deadline.aborted;
    throw new BerthError(
      'GIT_CLONE_FAILED',
      timedOut ? `git clone did not finish within ${options.timeoutMs} ms` : `git clone failed: ${message}`,
      { cause: err },
    );
  }
}
