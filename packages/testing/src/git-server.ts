import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitFor } from './ports.ts';

export interface GitServer {
  /** Publishes a directory as a repository (replacing one of that name); returns its git:// URL. */
  publish(name: string, sourceDir: string, options?: { branch?: string }): string;
  /** The commit a branch of a published repository points at. */
  head(name: string, branch?: string): string;
  /** Commits `sourceDir`'s files as the new state of `branch` (made if missing) and pushes it; returns the commit. */
  push(name: string, sourceDir: string, branch: string, message?: string): string;
  stop(): Promise<void>;
}

/** True once something accepts TCP connections on the loopback port. */
function accepts(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

/** git with a fixed author, so commits need no user configuration. */
function git(cwd: string, ...args: string[]): Buffer {
  return execFileSync('git', args, {
    cwd,
    stdio: 'pipe',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
  });
}

/** A `git daemon` on a free loopback port serving bare repositories from a temp dir. */
export async function startGitServer(): Promise<GitServer> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'berth-git-'));
  const port = await freePort();
  const daemon = spawn(
    'git',
    ['daemon', `--base-path=${root}`, '--export-all', '--reuseaddr', '--listen=127.0.0.1', `--port=${port}`, root],
    { stdio: 'ignore' },
  );
  await waitFor('git daemon', () => accepts(port));
  return {
    publish(name, sourceDir, options = {}) {
      const work = mkdtempSync(path.join(os.tmpdir(), 'berth-gitwork-'));
      cpSync(sourceDir, work, { recursive: true });
      git(work, 'init', '-q', '-b', options.branch ?? 'main');
      git(work, 'add', '-A');
      git(work, 'commit', '-qm', 'initial');
      rmSync(path.join(root, `${name}.git`), { recursive: true, force: true });
      git(root, 'clone', '-q', '--bare', work, `${name}.git`);
      rmSync(work, { recursive: true, force: true });
      return `git://127.0.0.1:${port}/${name}.git`;
    },
    push(name, sourceDir, branch, message = `update ${branch}`) {
      const work = mkdtempSync(path.join(os.tmpdir(), 'berth-gitwork-'));
      try {
        git(work, 'clone', '-q', path.join(root, `${name}.git`), '.');
        git(work, 'checkout', '-q', '-B', branch);
        git(work, 'rm', '-q', '-r', '--ignore-unmatch', '.');
        cpSync(sourceDir, work, { recursive: true });
        git(work, 'add', '-A');
        git(work, 'commit', '-q', '--allow-empty', '-m', message);
        git(work, 'push', '-q', '--force', 'origin', `HEAD:refs/heads/${branch}`);
        return git(work, 'rev-parse', 'HEAD').toString().trim();
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    },
    head(name, branch = 'main') {
      return git(path.join(root, `${name}.git`), 'rev-parse', branch).toString().trim();
    },
    async stop() {
      const exited = new Promise((r) => daemon.once('exit', r));
      daemon.kill('SIGTERM');
      await exited;
      rmSync(root, { recursive: true, force: true });
    },
  };
}
