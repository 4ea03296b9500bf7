import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { zipEntries, zipTestApp } from '@berth/testing/archives';
import { createDeployment, logLines, settled } from '@berth/testing/deployments';
import { startGitServer } from '@berth/testing/git-server';
import { instanceContainers, instanceImages, startStack, type Stack } from '@berth/testing/stack';

// The Docker daemon fetches ADD URLs itself, on the host: a Dockerfile must not
// be able to read what listens on the host's loopback, nor another app's image.
let stack: Stack;
let server: http.Server;
const hits: string[] = [];
beforeAll(async () => {
  stack = await startStack({ router: false });
  server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('secret from the host loopback\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await stack?.close();
});

it('a Dockerfile that ADDs from a URL on the host fails with UNSAFE_DOCKERFILE and the URL is never fetched', async () => {
  const port = (server.address() as AddressInfo).port;
  const d = await createDeployment(stack, {
    archive: await zipEntries([
      {
        name: 'Dockerfile',
        content: `FROM berth/node:24\nRUN echo before\nadd --chown=0:0 \\\n  http://127.0.0.1:${port}/secret /secret.txt\nCMD ["node", "-e", "setInterval(() => {}, 1000)"]\n`,
      },
      { name: 'nonce.txt', content: String(Math.random()) },
    ]),
  });
  const final = await settled(stack, d.id);
  expect(final).toMatchObject({ status: 'failed', errorCode: 'UNSAFE_DOCKERFILE' });
  expect(final.errorMessage).toContain('line 3');
  expect(final.errorMessage).toContain(`http://127.0.0.1:${port}/secret`);
  expect(hits).toEqual([]);
  const lines = await logLines(stack, d.id);
  expect(lines.at(-1)).toMatchObject({ stream: 'system', line: expect.stringContaining('UNSAFE_DOCKERFILE') });
  expect(lines.some((l) => l.stream === 'build')).toBe(false); // refused before the daemon saw it
  expect((await instanceImages(stack.instance)).filter((t) => t.includes(d.id))).toEqual([]);

  // The builder's shell lexer unquotes words: a quoted URL is fetched just the same.
  const quoted = await createDeployment(stack, {
    archive: await zipEntries([{ name: 'Dockerfile', content: `FROM berth/node:24\nADD "h\\ttp://127.0.0.1:${port}/quoted" /x\n` }]),
  });
  expect(await settled(stack, quoted.id)).toMatchObject({ status: 'failed', errorCode: 'UNSAFE_DOCKERFILE' });
  expect(hits).toEqual([]);
});

it("a Dockerfile that builds FROM another app's image fails with UNSAFE_DOCKERFILE", async () => {
  const victim = await createDeployment(stack, { archive: await zipTestApp('hello') });
  expect(await settled(stack, victim.id)).toMatchObject({ status: 'running' });
  const d = await createDeployment(stack, {
    archive: await zipEntries([
      {
        name: 'Dockerfile',
        content: `FROM berth-${stack.instance}/${victim.id}:latest\nCMD ["cat", "/app/server.js"]\n`,
      },
    ]),
  });
  const final = await settled(stack, d.id);
  expect(final).toMatchObject({ status: 'failed', errorCode: 'UNSAFE_DOCKERFILE' });
  expect(final.errorMessage).toContain('line 1');
  const copy = await createDeployment(stack, {
    archive: await zipEntries([
      {
        name: 'Dockerfile',
        content: `FROM berth/node:24\nCOPY --from=berth-${stack.instance}/${victim.id}:latest /app /stolen\n`,
      },
    ]),
  });
  expect(await settled(stack, copy.id)).toMatchObject({ status: 'failed', errorCode: 'UNSAFE_DOCKERFILE' });
  expect((await instanceContainers(stack.instance)).map((c) => c.Labels['dev.berth.deployment'])).toEqual([victim.id]);
});

it('a Dockerfile that is a symbolic link is refused: the daemon would read another file than the one checked', async () => {
  // The daemon resolves an absolute link inside the build context (<context>/etc/hostname, which
  // ADDs from the host); read on the host, the same link names the harmless /etc/hostname.
  const port = (server.address() as AddressInfo).port;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-symlinked-dockerfile-'));
  const git = await startGitServer();
  try {
    mkdirSync(path.join(dir, 'etc'));
    writeFileSync(path.join(dir, 'etc/hostname'), `FROM berth/node:24\nADD http://127.0.0.1:${port}/via-symlink /x\n`);
    symlinkSync('/etc/hostname', path.join(dir, 'Dockerfile'));
    const d = await createDeployment(stack, { gitUrl: git.publish('linked', dir) });
    const final = await settled(stack, d.id);
    expect(final).toMatchObject({ status: 'failed', errorCode: 'UNSAFE_DOCKERFILE' });
    expect(final.errorMessage).toContain('symbolic link');
    expect(hits).toEqual([]);
  } finally {
    await git.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

it('a rootDir that is a link out of the source is refused before anything on the host is read', async () => {
  // Host directory with a Dockerfile of its own: read through the link, it would be checked and built.
  const host = mkdtempSync(path.join(os.tmpdir(), 'berth-host-dir-'));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-linked-root-'));
  const git = await startGitServer();
  try {
    writeFileSync(path.join(host, 'Dockerfile'), 'FROM berth/node:24\nCMD ["node", "-e", "setInterval(() => {}, 1000)"]\n');
    writeFileSync(path.join(dir, 'README'), 'nothing here\n');
    symlinkSync(host, path.join(dir, 'app'));
    const d = await createDeployment(stack, { gitUrl: git.publish('linkedroot', dir), rootDir: 'app' });
    const final = await settled(stack, d.id);
    expect(final).toMatchObject({ status: 'failed', errorCode: 'INVALID_ROOT_DIR' });
    expect(final.errorMessage).toContain('outside the source');
  } finally {
    await git.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(host, { recursive: true, force: true });
  }
});
