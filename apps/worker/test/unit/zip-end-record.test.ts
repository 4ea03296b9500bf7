import { describe, expect, it } from 'vitest';
import { zipEntries } from '@berth/testing/archives';
import { zipDirectoryFlood } from '@berth/testing/zip-flood';
import { bufferReader, checkZipEntryCount as checkCount, readZipEndRecord } from '../../src/source/zip-end-record.ts';

const endOf = (zip: Buffer) => readZipEndRecord(zip.length, bufferReader(zip));
const checkZipEntryCount = (zip: Buffer, maxFiles: number) => checkCount(zip.length, bufferReader(zip), maxFiles);

const code = (c: string) => expect.objectContaining({ code: c });

describe('readZipEndRecord: the entry count, before the directory is parsed', () => {
  it('reads the count of a normal zip; an honest count over the limit is too large', async () => {
    const zip = await zipEntries([{ name: 'Dockerfile', content: 'FROM x' }, { name: 'a/b.txt', content: 'hi' }]);
    expect(await endOf(zip)).toEqual({ offset: zip.length - 22, entries: 2, zip64: false });
    await expect(checkZipEntryCount(zip, 1)).rejects.toThrow(code('ARCHIVE_TOO_LARGE'));
  });

  it('reads the count of a zip64 archive from its zip64 end record', async () => {
    const zip = zipDirectoryFlood({ records: 70_000, zip64: true });
    expect(await endOf(zip)).toMatchObject({ entries: 70_000, zip64: true });
    await expect(checkZipEntryCount(zip, 20_000)).rejects.toThrow(
      expect.objectContaining({ code: 'UNSAFE_ARCHIVE', message: expect.stringContaining('lists 70000 entries') }),
    );
  });

  it('refuses the 2.1-million-record archive from its 98.7 MB without parsing it', async () => {
    const zip = zipDirectoryFlood({ records: 2_100_000, zip64: true });
    expect(zip.length).toBeLessThan(100 * 1024 * 1024);
    const started = performance.now();
    await expect(checkZipEntryCount(zip, 20_000)).rejects.toEqual(code('UNSAFE_ARCHIVE'));
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('finds the end record behind a comment', async () => {
    const zip = zipDirectoryFlood({ records: 3, comment: 'built by hand; PK is not a signature' });
    expect(await endOf(zip)).toMatchObject({ entries: 3, offset: zip.length - 22 - 36 });
  });

  it('a comment holding a second end record: the last one counts, and the parser is pointed at it', async () => {
    const fake = zipDirectoryFlood({ records: 1 }).subarray(-22);
    const zip = zipDirectoryFlood({ records: 30_000, comment: fake.toString('latin1') });
    // Both records' comments reach the end; the reader takes the last, and extractArchive
    // starts the parser's tail window at `offset`, so the parser reads this count, not 30,000.
    expect(await endOf(zip)).toEqual({ offset: zip.length - 22, entries: 1, zip64: false });
  });

  it('a count lying high is refused; one lying low is the count the parser reads', async () => {
    const high = zipDirectoryFlood({ records: 10, declared: 15_000 });
    await expect(checkZipEntryCount(high, 20_000)).rejects.toThrow(
      expect.objectContaining({ code: 'UNSAFE_ARCHIVE', message: expect.stringContaining('more than it can hold') }),
    );
    const low = zipDirectoryFlood({ records: 50_000, declared: 5 });
    expect(await checkZipEntryCount(low, 20_000)).toMatchObject({ entries: 5 });
  });

  it('a truncated file is not a readable zip', async () => {
    const zip = await zipEntries([{ name: 'Dockerfile', content: 'FROM x' }]);
    await expect(endOf(zip.subarray(0, zip.length - 5))).rejects.toEqual(code('INVALID_ARCHIVE'));
    await expect(endOf(Buffer.alloc(0))).rejects.toEqual(code('INVALID_ARCHIVE'));
    const zip64 = zipDirectoryFlood({ records: 3, zip64: true });
    // The end record survives, its zip64 locator does not.
    await expect(endOf(Buffer.concat([zip64.subarray(0, 60), zip64.subarray(-22)]))).rejects.toEqual(code('INVALID_ARCHIVE'));
  });
});
