import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testAppsDir } from '@berth/testing/archives';
import { startStack, testToken, type Stack } from '@berth/testing/stack';

const root = path.resolve(testAppsDir, '..');
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ router: false, env: { HEALTHCHECK_TIMEOUT_MS: '2000' } });
});
afterAll(async () => {
  await stack?.close();
});

function berth(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', ['apps/cli/bin/berth.mjs', ...args], {
      cwd: root,
      env: { ...process.env, BERTH_URL: stack.apiUrl, BERTH_TOKEN: testToken },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

it('berth deploy <dir> shows the build steps and statuses as they happen and exits 0 with the URL', async () => {
  const { code, out } = await berth(['deploy', path.join(testAppsDir, 'hello'), '--env', 'GREETING=hi']);
  expect(out).toContain('uploading');
  expect(out).toMatch(/Step 1\/\d+ : FROM berth\/node:24/);
  for (const s of ['building', 'starting', 'running']) expect(out).toContain(`→ ${s}`);
  expect(out).toMatch(/live {2}http:\/\/[a-z0-9]{12}\.localhost:\d+/);
  expect(code).toBe(0);
  const id = /deployment ([a-z0-9]{12}) queued/.exec(out)![1]!;
  const logs = await berth(['logs', id]);
  expect(logs.out).toContain('deployment is live');
  expect((await berth(['list'])).out).toContain(id);
  expect((await berth(['rm', id])).out).toContain(`${id} stopped`);
});

it('berth deploy exits 1 with the error code when the deployment fails, and reports API errors', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-cli-broken-'));
  writeFileSync(path.join(dir, 'Dockerfile'), 'FROM berth/node:24\nRUN echo "compiling..." && exit 7\n');
  const failing = await berth(['deploy', dir]);
  rmSync(dir, { recursive: true, force: true });
  expect(failing.code).toBe(1);
  expect(failing.out).toContain('compiling...');
  expect(failing.out).toMatch(/failed BUILD_FAILED: .*non-zero code: 7/);
  const bad = await berth(['deploy', 'file:///etc']);
  expect(bad.code).toBe(1);
  expect(bad.out).toContain('does not exist');
  const unknown = await berth(['cancel', 'nosuchdeploy']);
  expect(unknown.code).toBe(1);
  expect(unknown.out).toContain('404 NOT_FOUND');
});
