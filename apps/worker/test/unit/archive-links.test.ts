import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { zipEntries, type ZipEntry } from '@berth/testing/archives';
import { zipDirectoryFlood } from '@berth/testing/zip-flood';
import { extractArchive } from '../../src/source/archive-source.ts';

let root: string;
let dest: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'berth-links-test-'));
  dest = path.join(root, 'src');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const limits = { maxBytes: 1024 * 1024, maxFiles: 100, timeoutMs: 60_000, signal: new AbortController().signal };
const code = (c: string) => expect.objectContaining({ code: c });
const link = (name: string, to: string): ZipEntry => ({ name, content: to, mode: 0o120777 });
const files: ZipEntry[] = [{ name: 'Dockerfile', content: 'FROM x' }, { name: 'public/index.html', content: 'hi' }];

describe('links in an uploaded zip (the CLI packs a folder\'s links as links)', () => {
  it('keeps a link to a file or folder inside the archive, as a link', async () => {
    const zip = await zipEntries([...files, link('public/home.html', 'index.html'), link('site', 'public'), link('public/up', '..')]);
    await extractArchive(zip, 'zip', dest, limits);
    expect(lstatSync(path.join(dest, 'public/home.html')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path.join(dest, 'site'))).toBe('public');
    expect(readFileSync(path.join(dest, 'site/home.html'), 'utf8')).toBe('hi');
  });

  it('refuses links that lead outside, by name or through another link, and writes nothing', async () => {
    const outside = [
      [link('x', '/etc/passwd')],
      [link('public/x', '../../secret')],
      // Looks inside by name: b is the archive's root, so b/.. is its parent.
      [link('b', '.'), link('a', 'b/..')],
    ];
    for (const [i, links] of outside.entries()) {
      const target = path.join(dest, String(i));
      await expect(extractArchive(await zipEntries([...files, ...links]), 'zip', target, limits)).rejects.toEqual(code('UNSAFE_ARCHIVE'));
      expect(() => lstatSync(target)).toThrow();
    }
  });

  it('refuses a link that loops or points at nothing, and entries below a link', async () => {
    await expect(extractArchive(await zipEntries([...files, link('a', 'a')]), 'zip', dest, limits)).rejects.toEqual(code('UNSAFE_ARCHIVE'));
    await expect(extractArchive(await zipEntries([...files, link('a', 'nothing')]), 'zip', dest, limits)).rejects.toEqual(
      code('UNSAFE_ARCHIVE'),
    );
    const below = await zipEntries([...files, link('site', 'public'), { name: 'site/evil', content: 'x' }]);
    await expect(extractArchive(below, 'zip', dest, limits)).rejects.toEqual(
      expect.objectContaining({ code: 'UNSAFE_ARCHIVE', message: expect.stringContaining('below a symbolic link') }),
    );
  });

  it('refuses a link whose target is a bomb without inflating it', async () => {
    const zip = await zipEntries([...files, link('x', 'a'.repeat(5 * 1024 * 1024))]);
    await expect(extractArchive(zip, 'zip', dest, limits)).rejects.toEqual(code('UNSAFE_ARCHIVE'));
  });
});

describe('a zip directory flood', () => {
  it('is refused from its end record, before the directory is parsed', async () => {
    const flood = zipDirectoryFlood({ records: 2_100_000, zip64: true });
    const started = performance.now();
    await expect(extractArchive(flood, 'zip', dest, { ...limits, maxFiles: 20_000 })).rejects.toEqual(code('UNSAFE_ARCHIVE'));
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('the parser reads the end record the count came from', async () => {
    const fake = zipDirectoryFlood({ records: 1 }).subarray(-22);
    const zip = zipDirectoryFlood({ records: 30_000, comment: fake.toString('latin1') });
    // Read from the first end record, 30,000 records named "a" would be refused as duplicates.
    expect(await extractArchive(zip, 'zip', dest, limits)).toEqual({ files: 1, bytes: 1 });
  });
});
