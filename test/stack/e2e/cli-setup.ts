import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { testAppsDir } from '@berth/testing/archives';
import { startGitServer, type GitServer } from '@berth/testing/git-server';
import { request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { instanceContainers, startStack, testToken, type Stack } from '@berth/testing/stack';

// The CLI (apps/cli/bin/berth.mjs) as a user runs it, against a real stack: shared by the cli-*.test.ts files.
const root = path.resolve(testAppsDir, '..');
export const scratch = mkdtempSync(path.join(os.tmpdir(), 'berth-cli-projects-'));
export const project = `cli-${Math.random().toString(36).slice(2, 8)}`;
export const secret = 's3cret-value-never-printed';
export let stack: Stack;
export let git: GitServer;

/** Starts the file's stack (and a git server when its tests deploy from git); after its tests, checks it left no container. */
export function useCliStack(options: { git?: boolean } = {}): void {
  beforeAll(async () => {
    stack = await startStack();
    if (options.git) git = await startGitServer();
  });
  afterAll(async () => {
    await git?.stop();
    await stack?.close();
    rmSync(scratch, { recursive: true, force: true });
    if (stack) expect(await instanceContainers(stack.instance)).toEqual([]);
  });
}

/** A release app in a fresh folder: it answers its version, its env at /info, and its health path. */
export function releaseDir(version: string, dockerfileExtra = ''): string {
  const dir = path.join(scratch, `${version}-${Math.random().toString(36).slice(2, 6)}`);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'version.txt'), `${version}\n`);
  writeFileSync(
    path.join(dir, 'server.js'),
    `const v = require('fs').readFileSync(__dirname + '/version.txt', 'utf8').trim();
require('http').createServer((req, res) => {
  if (req.url === '/healthz') {
    res.statusCode = process.env.UNHEALTHY ? 500 : 200;
    return res.end(process.env.UNHEALTHY ? 'unhealthy' : 'ok');
  }
  if (req.url === '/info') return res.end(JSON.stringify({ version: v, secret: process.env.SECRET_TOKEN ?? null }));
  res.end(v);
}).listen(Number(process.env.PORT || 3000));
`,
  );
  writeFileSync(path.join(dir, 'Dockerfile'), `FROM berth/node:24\nCOPY . /app/\n${dockerfileExtra}CMD ["node", "/app/server.js"]\n`);
  return dir;
}

export function berth(args: string[], apiUrl = stack.apiUrl): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', ['apps/cli/bin/berth.mjs', ...args], {
      cwd: root,
      env: { ...process.env, BERTH_URL: apiUrl, BERTH_TOKEN: testToken },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

/** Runs the CLI and expects exit 0 (with its output in the failure message). */
export async function ok(args: string[], apiUrl?: string): Promise<string> {
  const r = await berth(args, apiUrl);
  expect(r.code, `berth ${args.join(' ')}:\n${r.out}`).toBe(0);
  return r.out;
}

/** Runs the CLI and expects exit 1 with `fragment` in its output. */
export async function fails(args: string[], fragment: string | RegExp): Promise<string> {
  const r = await berth(args);
  expect(r.code, `berth ${args.join(' ')}:\n${r.out}`).toBe(1);
  if (typeof fragment === 'string') expect(r.out).toContain(fragment);
  else expect(r.out).toMatch(fragment);
  return r.out;
}

/** What the project URL serves through Caddy now (waits until it serves `expected`). */
export async function serves(name: string, expected: string, pathname = '/'): Promise<string> {
  return waitFor(`${name}.localhost to serve ${expected}`, async () => {
    const r = await request(`${stack.caddyUrl}${pathname}`, { host: `${name}.localhost` });
    return r.status === 200 && r.body.includes(expected) ? r.body : undefined;
  }, 15_000);
}

export const deploymentId = (out: string) => /deployment ([a-z0-9]{12}) /.exec(out)![1]!;
export const projectUrl = (name: string) => `http://${name}.localhost:${stack.caddy!.httpPort}`;
