import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tarGzEntries, zipEntries } from '@berth/testing/archives';
import { extractArchive } from '../../src/source/archive-source.ts';

let root: string;
let dest: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'berth-extract-test-'));
  dest = path.join(root, 'src');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const limits = { maxBytes: 1024 * 1024, maxFiles: 100, timeoutMs: 60_000, signal: new AbortController().signal };
const code = (c: string) => expect.objectContaining({ code: c });

/** yazl refuses unsafe names; swap a same-length placeholder in the raw bytes. */
async function zipWithRawName(placeholder: string, raw: string): Promise<Buffer> {
  const zip = await zipEntries([{ name: 'Dockerfile', content: 'FROM x' }, { name: placeholder, content: 'pwned' }]);
  return Buffer.from(zip.toString('latin1').replaceAll(placeholder, raw), 'latin1');
}

describe('extractArchive', () => {
  it('extracts a zip and a tar.gz with nested directories', async () => {
    const zip = await zipEntries([{ name: 'Dockerfile', content: 'FROM x' }, { name: 'app/src/index.js', content: 'hi' }]);
    expect(await extractArchive(zip, 'zip', dest, limits)).toEqual({ files: 2, bytes: 8 });
    expect(readFileSync(path.join(dest, 'app/src/index.js'), 'utf8')).toBe('hi');

    const dest2 = path.join(root, 'tar');
    const tgz = await tarGzEntries([{ name: 'dir', type: 'directory' }, { name: 'dir/a.txt', content: 'abc' }]);
    expect(await extractArchive(tgz, 'tar.gz', dest2, limits)).toEqual({ files: 1, bytes: 3 });
  });

  it('refuses zip-slip paths and writes nothing outside', async () => {
    await expect(extractArchive(await zipWithRawName('xx/evil.txt', '../evil.txt'), 'zip', dest, limits)).rejects.toEqual(
      code('UNSAFE_ARCHIVE'),
    );
    expect(existsSync(path.join(root, 'evil.txt'))).toBe(false);
    // Checked before writing: not even the harmless Dockerfile was extracted.
    expect(existsSync(path.join(dest, 'Dockerfile'))).toBe(false);
    await expect(extractArchive(await zipWithRawName('xtmp/evil', '/tmp/evil'), 'zip', path.join(root, 'abs'), limits)).rejects.toEqual(
      code('UNSAFE_ARCHIVE'),
    );
    await expect(
      extractArchive(await tarGzEntries([{ name: '../../evil.txt', content: 'x' }]), 'tar.gz', path.join(root, 'tar'), limits),
    ).rejects.toEqual(code('UNSAFE_ARCHIVE'));
  });

  it('refuses symbolic links in zips and tars', async () => {
    const zip = await zipEntries([{ name: 'link', content: '/etc/passwd', mode: 0o120777 }]);
    await expect(extractArchive(zip, 'zip', dest, limits)).rejects.toEqual(code('UNSAFE_ARCHIVE'));
    const tgz = await tarGzEntries([{ name: 'link', type: 'symlink', linkname: '/etc/passwd' }]);
    await expect(extractArchive(tgz, 'tar.gz', path.join(root, 't'), limits)).rejects.toEqual(code('UNSAFE_ARCHIVE'));
  });

  it('stops zip bombs by real bytes written and by file count', async () => {
    const bomb = await zipEntries([{ name: 'zeros', content: Buffer.alloc(5 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(20_000);
    await expect(extractArchive(bomb, 'zip', dest, limits)).rejects.toEqual(code('ARCHIVE_TOO_LARGE'));
    const many = await zipEntries(Array.from({ length: 101 }, (_, i) => ({ name: `f${i}`, content: 'x' })));
    await expect(extractArchive(many, 'zip', path.join(root, 'm'), limits)).rejects.toEqual(code('ARCHIVE_TOO_LARGE'));
  });

  it('refuses duplicate entries, corrupt archives and empty ones', async () => {
    const dup = await zipEntries([{ name: 'a', content: '1' }, { name: 'a', content: '2' }]);
    await expect(extractArchive(dup, 'zip', dest, limits)).rejects.toEqual(code('UNSAFE_ARCHIVE'));
    const corrupt = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(100, 7)]);
    await expect(extractArchive(corrupt, 'zip', path.join(root, 'c'), limits)).rejects.toEqual(code('INVALID_ARCHIVE'));
    const badGzip = Buffer.from([0x1f, 0x8b, 1, 2, 3, 4]);
    await expect(extractArchive(badGzip, 'tar.gz', path.join(root, 'g'), limits)).rejects.toEqual(code('INVALID_ARCHIVE'));
    await expect(extractArchive(await zipEntries([]), 'zip', path.join(root, 'e'), limits)).rejects.toEqual(
      code('EMPTY_ARCHIVE'),
    );
  });
});
