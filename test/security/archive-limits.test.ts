import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tarGzEntries, zipEntries } from '../helpers/archives.ts';
import { extractArchive } from '../../apps/worker/src/source/archive-source.ts';

// Hostile uploads that stay under the byte and file limits but still cost the
// worker: thousands of folders (inodes, mkdir calls) and archives that take
// too long to unpack.
let root: string;
let dest: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'berth-sec-archive-'));
  dest = path.join(root, 'src');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const code = (c: string) => expect.objectContaining({ code: c });
const never = new AbortController().signal;
const limits = { maxBytes: 1024 * 1024, maxFiles: 100, timeoutMs: 60_000, signal: never };

describe('folders count toward MAX_EXTRACTED_FILES', () => {
  it('refuses a zip of no files but thousands of folders', async () => {
    const zip = await zipEntries([
      { name: 'Dockerfile', content: 'FROM x' },
      ...Array.from({ length: 2000 }, (_, i) => ({ name: `d${i}/`, directory: true })),
    ]);
    await expect(extractArchive(zip, 'zip', dest, limits)).rejects.toEqual(code('ARCHIVE_TOO_LARGE'));
    expect(existsSync(path.join(dest, 'd150'))).toBe(false);
  });

  it('refuses a tar.gz of no files but thousands of folders', async () => {
    const tgz = await tarGzEntries([
      { name: 'Dockerfile', content: 'FROM x' },
      ...Array.from({ length: 2000 }, (_, i) => ({ name: `d${i}`, type: 'directory' as const })),
    ]);
    await expect(extractArchive(tgz, 'tar.gz', dest, limits)).rejects.toEqual(code('ARCHIVE_TOO_LARGE'));
    expect(existsSync(path.join(dest, 'd150'))).toBe(false);
  });

  it('counts the folders implied by deep paths (zip and tar.gz)', async () => {
    const deep = Array.from({ length: 150 }, (_, i) => `p${i}`).join('/');
    const zip = await zipEntries([{ name: `${deep}/Dockerfile`, content: 'FROM x' }]);
    await expect(extractArchive(zip, 'zip', dest, limits)).rejects.toEqual(code('ARCHIVE_TOO_LARGE'));
    const tgz = await tarGzEntries([{ name: `${deep}/Dockerfile`, content: 'FROM x' }]);
    await expect(extractArchive(tgz, 'tar.gz', path.join(root, 't'), limits)).rejects.toEqual(code('ARCHIVE_TOO_LARGE'));
  });

  it('still accepts an ordinary tree under the limit', async () => {
    const zip = await zipEntries([
      { name: 'Dockerfile', content: 'FROM x' },
      ...Array.from({ length: 40 }, (_, i) => ({ name: `src/m${i}/index.js`, content: 'x' })),
    ]);
    expect(await extractArchive(zip, 'zip', dest, limits)).toEqual({ files: 41, bytes: 46 });
  });
});

describe('extraction has a time bound and stops when the job is canceled', () => {
  const many = 3000;
  const big = { ...limits, maxFiles: 100_000, maxBytes: 100 * 1024 * 1024 };
  const entries = Array.from({ length: many }, (_, i) => ({ name: `f/${i}.txt`, content: `file ${i}` }));

  for (const format of ['zip', 'tar.gz'] as const) {
    it(`fails a ${format} that takes longer than timeoutMs, leaving nothing on disk`, async () => {
      const archive = format === 'zip' ? await zipEntries(entries) : await tarGzEntries(entries);
      const error = await extractArchive(archive, format, dest, { ...big, timeoutMs: 30 }).catch((err: unknown) => err);
      expect(error).toEqual(code('EXTRACT_TIMEOUT'));
      expect((error as Error).message).toBe('extraction did not finish within 30 ms');
      expect(existsSync(dest)).toBe(false);
    });

    it(`stops a ${format} extraction when the job's signal aborts, leaving nothing on disk`, async () => {
      const archive = format === 'zip' ? await zipEntries(entries) : await tarGzEntries(entries);
      const cancel = new AbortController();
      setTimeout(() => cancel.abort(new Error('canceled by request')), 30);
      const error = await extractArchive(archive, format, dest, { ...big, signal: cancel.signal }).catch((err: unknown) => err);
      expect(error).toEqual(expect.objectContaining({ message: 'canceled by request' }));
      expect(existsSync(dest)).toBe(false);
    });
  }
});
