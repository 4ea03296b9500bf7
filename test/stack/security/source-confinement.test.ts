import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitServer, type GitServer } from '@berth/testing/git-server';
import { createDeployment, logLines, settled } from '@berth/testing/deployments';
import { instanceImages, startStack, type Stack } from '@berth/testing/stack';

// An attacker controls the repository: its symlinks must never make Berth
// build from, or copy into an image, anything of the worker's host.
let stack: Stack;
let git: GitServer;
let scratch: string;
beforeAll(async () => {
  stack = await startStack({ router: false });
  git = await startGitServer();
  scratch = mkdtempSync(path.join(os.tmpdir(), 'berth-sec-src-'));
});
afterAll(async () => {
  await git?.stop();
  await stack?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A folder of the host holding a Dockerfile that would print a secret marker file into the build log. */
function hostFolder(): { dir: string; marker: string } {
  const marker = `host-marker-${randomBytes(8).toString('hex')}`;
  const dir = mkdtempSync(path.join(scratch, 'host-'));
  writeFileSync(path.join(dir, 'marker'), `${marker}\n`);
  writeFileSync(path.join(dir, 'Dockerfile'), 'FROM berth/node:24\nCOPY marker /marker\nRUN cat /marker\nCMD ["sleep", "60"]\n');
  return { dir, marker };
}

/** A repository directory with the given files and symlinks (absolute targets). */
function repo(files: Record<string, string>, links: Record<string, string>): string {
  const dir = mkdtempSync(path.join(scratch, 'repo-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  for (const [name, target] of Object.entries(links)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    symlinkSync(target, path.join(dir, name));
  }
  return dir;
}

async function deployGit(name: string, dir: string, rootDir?: string) {
  const gitUrl = git.publish(name, dir);
  const created = await createDeployment(stack, { gitUrl, ...(rootDir === undefined ? {} : { rootDir }), port: 3000 });
  const final = await settled(stack, created.id, 90_000);
  const lines = await logLines(stack, created.id);
  return { final, text: lines.map((l) => l.line).join('\n') };
}

describe('a repository cannot reach outside its checkout', () => {
  it('refuses a rootDir that goes through a symlink to a host folder', async () => {
    const host = hostFolder();
    const dir = repo({ 'README.md': 'hi' }, { hostdir: host.dir });
    const { final, text } = await deployGit(`root-link-${randomBytes(3).toString('hex')}`, dir, 'hostdir');
    expect(final).toMatchObject({ status: 'failed', errorCode: 'INVALID_ROOT_DIR' });
    expect(final.errorMessage).toContain('outside');
    expect(text).not.toContain(host.marker);
    expect((await instanceImages(stack.instance)).filter((t) => t.includes(final.id))).toEqual([]);
  });

  it('refuses a rootDir with a symlink in an intermediate component (a/link/b)', async () => {
    const host = hostFolder();
    mkdirSync(path.join(host.dir, 'b'));
    writeFileSync(path.join(host.dir, 'b', 'marker'), `${host.marker}\n`);
    writeFileSync(path.join(host.dir, 'b', 'Dockerfile'), 'FROM berth/node:24\nCOPY marker /marker\nRUN cat /marker\n');
    const dir = repo({ 'a/README.md': 'hi' }, { 'a/link': host.dir });
    const { final, text } = await deployGit(`mid-link-${randomBytes(3).toString('hex')}`, dir, 'a/link/b');
    expect(final).toMatchObject({ status: 'failed', errorCode: 'INVALID_ROOT_DIR' });
    expect(text).not.toContain(host.marker);
  });

  it('refuses a rootDir through a relative symlink that climbs out (../../)', async () => {
    const host = hostFolder();
    // A relative link that climbs out of the checkout: resolved only by the real path.
    const dir = repo({ 'README.md': 'hi' }, { up: path.join('../..', path.relative(os.tmpdir(), host.dir)) });
    const { final, text } = await deployGit(`rel-link-${randomBytes(3).toString('hex')}`, dir, 'up');
    expect(final).toMatchObject({ status: 'failed', errorCode: 'INVALID_ROOT_DIR' });
    expect(text).not.toContain(host.marker);
  });

  it('refuses a Dockerfile that is a symlink to a host file', async () => {
    const host = hostFolder();
    const dir = repo({ marker: 'not the host marker\n' }, { Dockerfile: path.join(host.dir, 'Dockerfile') });
    const { final, text } = await deployGit(`df-link-${randomBytes(3).toString('hex')}`, dir);
    expect(final).toMatchObject({ status: 'failed', errorCode: 'UNSAFE_DOCKERFILE' });
    expect(final.errorMessage).toContain('symbolic link');
    expect(text).not.toContain(host.marker);
  });

  it('a symlink inside the build context never brings a host file into the image', async () => {
    const secretFile = path.join(scratch, `secret-${randomBytes(4).toString('hex')}`);
    const marker = `ctx-marker-${randomBytes(8).toString('hex')}`;
    writeFileSync(secretFile, `${marker}\n`);
    const dir = repo(
      {
        Dockerfile: 'FROM berth/node:24\nCOPY secret /x\nRUN cat /x || true\nCOPY . /ctx/\nRUN cat /ctx/secret || true\nCMD ["sleep", "60"]\n',
      },
      { secret: secretFile },
    );
    const { final, text } = await deployGit(`ctx-link-${randomBytes(3).toString('hex')}`, dir);
    // The build may fail (the link resolves inside the context, to nothing) or succeed: it never leaks.
    expect(['failed', 'running']).toContain(final.status);
    expect(text).not.toContain(marker);
    expect(readdirSync(os.tmpdir()).filter((d) => d === `berth-${stack.instance}-${final.id}`)).toEqual([]);
    if (final.status === 'running') await stack.inject({ method: 'DELETE', url: `/api/deployments/${final.id}` });
  });
  it('without a Dockerfile: a package.json that is a link to a host file is never read', async () => {
    const host = hostFolder();
    const hostPackage = path.join(host.dir, 'package.json');
    writeFileSync(hostPackage, JSON.stringify({ name: host.marker, main: 'x.js' }));
    const dir = repo({ 'x.js': '' }, { 'package.json': hostPackage });
    const { final, text } = await deployGit(`pkg-link-${randomBytes(3).toString('hex')}`, dir);
    expect(final).toMatchObject({ status: 'failed', errorCode: 'INVALID_BUILD_CONFIG' });
    expect(final.errorMessage).toBe('package.json must be a regular file (not a link or a folder)');
    expect(text).not.toContain(host.marker);
  });

  it('without a Dockerfile: links named like the files Berth writes never point its writes at the host', async () => {
    const victims = ['.berth.Dockerfile', '.dockerignore'].map((name) => {
      const file = path.join(scratch, `victim-${randomBytes(4).toString('hex')}`);
      writeFileSync(file, 'untouched\n');
      return [name, file] as const;
    });
    const dir = repo({ 'index.html': '<h1>site</h1>\n' }, Object.fromEntries(victims));
    const { final, text } = await deployGit(`write-link-${randomBytes(3).toString('hex')}`, dir);
    expect(final, text).toMatchObject({ status: 'running' });
    for (const [, file] of victims) expect(readFileSync(file, 'utf8')).toBe('untouched\n');
    await stack.inject({ method: 'DELETE', url: `/api/deployments/${final.id}` });
  });
});
