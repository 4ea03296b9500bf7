import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tarGzEntries, zipEntries } from '@berth/testing/archives';
import { extractedFileMode, zipEntryMode } from '../../src/source/archive-modes.ts';
import { extractArchive } from '../../src/source/archive-source.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'berth-modes-test-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const limits = { maxBytes: 1024 * 1024, maxFiles: 100, timeoutMs: 60_000, signal: new AbortController().signal };
const modeOf = (dir: string, name: string) => statSync(path.join(dir, name)).mode & 0o7777;

/** What each archive says, and the mode the file must get. */
const cases: [name: string, archived: number | undefined, extracted: number][] = [
  ['start.sh', 0o755, 0o755],
  ['owner-only-x', 0o700, 0o755],
  ['group-x', 0o610, 0o755],
  ['plain.txt', 0o644, 0o644],
  ['private.txt', 0o600, 0o644],
  ['setuid', 0o4755, 0o755],
  ['setgid', 0o2755, 0o755],
  ['sticky', 0o1644, 0o644],
  ['world-writable', 0o666, 0o644],
  ['world-writable-x', 0o777, 0o755],
  ['everything', 0o7777, 0o755],
];

describe('the mode rule', () => {
  it('keeps only "is it executable": 0o755 or 0o644, never setuid, setgid, sticky or writable by others', () => {
    for (const [name, archived, extracted] of cases) expect([name, extractedFileMode(archived)]).toEqual([name, extracted]);
    expect(extractedFileMode(undefined)).toBe(0o644);
  });

  it("reads a zip entry's Unix mode from its external attributes (a Windows zip has none: 0o644)", () => {
    expect(zipEntryMode((0o100755 << 16) >>> 0) & 0o7777).toBe(0o755);
    expect(zipEntryMode(0x20)).toBe(0); // the DOS "archive" attribute only
    expect(extractedFileMode(zipEntryMode(0x20))).toBe(0o644);
  });
});

describe('extracting keeps executable bits and drops the rest', () => {
  it('a zip', async () => {
    const dest = path.join(root, 'zip');
    const zip = await zipEntries(cases.map(([name, archived]) => ({ name, content: '#!/bin/sh\n', ...(archived ? { mode: 0o100000 | archived } : {}) })));
    await extractArchive(zip, 'zip', dest, limits);
    for (const [name, , extracted] of cases) expect([name, modeOf(dest, name)]).toEqual([name, extracted]);
  });

  it('a tar.gz', async () => {
    const dest = path.join(root, 'tar');
    const tgz = await tarGzEntries(cases.map(([name, archived]) => ({ name: `bin/${name}`, content: '#!/bin/sh\n', mode: archived })));
    await extractArchive(tgz, 'tar.gz', dest, limits);
    for (const [name, , extracted] of cases) expect([name, modeOf(dest, `bin/${name}`)]).toEqual([name, extracted]);
  });

  it('a zip without modes (made on Windows) gives plain files', async () => {
    const dest = path.join(root, 'win');
    const zip = await zipEntries([{ name: 'run.bat', content: 'echo hi' }]);
    // yazl writes a Unix mode by default; clear the external attributes of the central directory record.
    const raw = Buffer.from(zip);
    const central = raw.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    raw.writeUInt32LE(0, central + 38);
    await extractArchive(raw, 'zip', dest, limits);
    expect(modeOf(dest, 'run.bat')).toBe(0o644);
  });
});
