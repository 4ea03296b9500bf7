import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { releaseCommandOf } from '../../src/build/release-config.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'berth-release-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const withBerthJson = (text: string) => writeFile(path.join(dir, 'berth.json'), text);

it("reads berth.json's release, and nothing without one", async () => {
  expect(await releaseCommandOf(dir)).toBeUndefined();
  await withBerthJson('{"start":"node server.js"}');
  expect(await releaseCommandOf(dir)).toBeUndefined();
  await withBerthJson('{"release":"  npm run migrate "}');
  expect(await releaseCommandOf(dir)).toBe('npm run migrate');
});

it('refuses a release that is not one line, empty, not a string, or a berth.json that is not JSON, without quoting it', async () => {
  for (const text of ['{"release":"a\\nb"}', '{"release":""}', '{"release":3}', '{"release":["a"]}']) {
    await withBerthJson(text);
    await expect(releaseCommandOf(dir), text).rejects.toMatchObject({ code: 'INVALID_BUILD_CONFIG' });
  }
  await withBerthJson('root:x:0:0:root:/root:/bin/sh');
  await expect(releaseCommandOf(dir)).rejects.toThrow(/^berth.json is not valid JSON$/);
});

it('never follows a link (it could name a file of the worker host)', async () => {
  await symlink('/etc/passwd', path.join(dir, 'berth.json'));
  await expect(releaseCommandOf(dir)).rejects.toMatchObject({ code: 'INVALID_BUILD_CONFIG', message: expect.stringContaining('regular file') });
});
