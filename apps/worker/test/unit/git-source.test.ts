import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitServer, type GitServer } from '@berth/testing/git-server';
import { testAppsDir } from '@berth/testing/archives';
import { cloneRepository } from '../../src/source/git-source.ts';

let git: GitServer;
let big: string;
let small: string;
const dirs: string[] = [];
beforeAll(async () => {
  git = await startGitServer();
  const src = mkdtempSync(path.join(os.tmpdir(), 'berth-bigrepo-'));
  writeFileSync(path.join(src, 'Dockerfile'), 'FROM berth/node:24\n');
  writeFileSync(path.join(src, 'blob.bin'), randomBytes(3 * 1024 * 1024));
  big = git.publish('big', src);
  small = git.publish('small', path.join(testAppsDir, 'hello'), { branch: 'main' });
  rmSync(src, { recursive: true, force: true });
});
afterAll(async () => {
  await git?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function dest(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'berth-clone-test-'));
  dirs.push(d);
  return d;
}

const clone = (url: string, maxBytes: number, ref?: string) =>
  cloneRepository({ url, ref, dest: dest(), timeoutMs: 20_000, maxBytes, signal: new AbortController().signal, onLine: () => {}, allowPrivateHosts: true });

describe('cloneRepository', () => {
  it('clones a branch shallowly', async () => {
    const d = dest();
    await cloneRepository({ url: small, ref: 'main', dest: d, timeoutMs: 20_000, maxBytes: 10_000_000, signal: new AbortController().signal, onLine: () => {}, allowPrivateHosts: true });
    expect(existsSync(path.join(d, 'server.js'))).toBe(true);
  });

  it('stops a repository larger than the limit with SOURCE_TOO_LARGE', async () => {
    await expect(clone(big, 1024 * 1024)).rejects.toMatchObject({ code: 'SOURCE_TOO_LARGE' });
    await expect(clone(big, 20 * 1024 * 1024)).resolves.toMatch(/^[0-9a-f]{40}$/); // the commit it checked out
  });

  it('refuses unsafe URLs and refs itself, whatever the API let through', async () => {
    await expect(clone('ext::sh -c touch% /tmp/pwned', 1e6)).rejects.toMatchObject({ code: 'INVALID_GIT_URL' });
    await expect(clone('file:///etc', 1e6)).rejects.toMatchObject({ code: 'INVALID_GIT_URL' });
    await expect(clone(small, 1e6, '--upload-pack=touch /tmp/pwned')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(existsSync('/tmp/pwned')).toBe(false);
  });

  it('refuses local and private hosts unless allowed, before git sends anything', async () => {
    let hits = 0;
    const local = net.createServer((socket) => {
      hits++;
      socket.destroy();
    });
    await new Promise<void>((r) => local.listen(0, '127.0.0.1', r));
    const { port } = local.address() as net.AddressInfo;
    for (const url of [`http://127.0.0.1:${port}/x.git`, `git://localhost:${port}/x.git`, `https://[::1]:${port}/x.git`]) {
      await expect(
        cloneRepository({ url, dest: dest(), timeoutMs: 5000, maxBytes: 1e6, signal: new AbortController().signal, onLine: () => {}, allowPrivateHosts: false }),
      ).rejects.toMatchObject({ code: 'INVALID_GIT_URL' });
    }
    expect(hits).toBe(0);
    local.close();
  });

  it('gives up on a server that never answers after CLONE_TIMEOUT_MS', async () => {
    // Accepts git:// connections and says nothing.
    const silent = net.createServer((socket) => socket.on('error', () => {}));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as net.AddressInfo;
    await expect(
      cloneRepository({ url: `git://127.0.0.1:${port}/stuck.git`, dest: dest(), timeoutMs: 1000, maxBytes: 1e6, signal: new AbortController().signal, onLine: () => {}, allowPrivateHosts: true }),
    ).rejects.toMatchObject({ code: 'GIT_CLONE_FAILED', message: 'git clone did not finish within 1000 ms' });
    silent.close();
  });

  it('fails a missing branch with GIT_CLONE_FAILED', async () => {
    await expect(clone(small, 1e6, 'no-such-branch')).rejects.toMatchObject({ code: 'GIT_CLONE_FAILED' });
  });
});
