import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { zipDirectory } from '../../apps/cli/src/archive.ts';
import { extractArchive } from '../../apps/worker/src/source/archive-source.ts';

// The CLI packs a folder's links as links; the worker must make the same links
// again (it refuses absolute ones and ones that climb out: the CLI never packs those).
let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'berth-cli-links-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

it('a folder with links inside it, packed by the CLI, unpacks on the worker with the same links', async () => {
  const dir = path.join(scratch, 'app');
  mkdirSync(path.join(dir, 'public', 'assets'), { recursive: true });
  mkdirSync(path.join(dir, 'empty'));
  writeFileSync(path.join(dir, 'Dockerfile'), 'FROM berth/node:24');
  writeFileSync(path.join(dir, 'public', 'index.html'), 'hi');
  symlinkSync('index.html', path.join(dir, 'public', 'home.html'));
  symlinkSync(path.join(dir, 'public', 'assets'), path.join(dir, 'assets')); // absolute, to a folder holding no file
  symlinkSync('../empty', path.join(dir, 'public', 'nothing-here'));
  symlinkSync('..', path.join(dir, 'public', 'up'));

  const dest = path.join(scratch, 'src');
  const limits = { maxBytes: 1024 * 1024, maxFiles: 100, timeoutMs: 60_000, signal: new AbortController().signal };
  await extractArchive(await zipDirectory(dir), 'zip', dest, limits);
  expect(readlinkSync(path.join(dest, 'public', 'home.html'))).toBe('index.html');
  expect(readlinkSync(path.join(dest, 'assets'))).toBe('public/assets');
  expect(readlinkSync(path.join(dest, 'public', 'nothing-here'))).toBe('../empty');
  expect(readFileSync(path.join(dest, 'public', 'up', 'public', 'home.html'), 'utf8')).toBe('hi');
});
