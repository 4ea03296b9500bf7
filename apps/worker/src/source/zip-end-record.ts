import { BerthError } from '@berth/shared/errors';

/** The end-of-central-directory record: 22 bytes, then a comment of up to 65,535. */
const EOCD_SIGNATURE = 0x06054b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_RECORD_SIGNATURE = 0x06064b50;
const ZIP64_RECORD_SIZE = 56;
/** A central directory record is at least this long (its fixed part, with empty name, extra and comment). */
const MIN_DIRECTORY_RECORD = 46;
/** And each entry's local header, before its data, at least this. */
const MIN_LOCAL_HEADER = 30;

export interface ZipEndRecord {
  /** Where the end record starts: the zip parser is told to read it from here (see `tailSize`). */
  offset: number;
  /** The number of central directory records the parser will read. */
  entries: number;
  zip64: boolean;
}

const unreadable = (why: string) => new BerthError('INVALID_ARCHIVE', `the upload is not a readable zip archive (${why})`);

/** Reads `length` bytes at `offset` of an archive: from a buffer, or from the database without loading the rest. */
export type ReadAt = (offset: number, length: number) => Promise<Buffer>;

export const bufferReader =
  (data: Buffer): ReadAt =>
  async (offset, length) =>
    data.subarray(offset, offset + length);

/**
 * Reads how many entries a zip claims, from its end record alone, without
 * touching the central directory: the count decides whether the directory is
 * parsed at all (a 100 MB zip can hold two million records). Two small reads:
 * the tail, and the zip64 end record when there is one.
 *
 * The record is the last one whose comment ends exactly at the end of the data.
 * The zip64 rule is unzipper's (and Go's): any of the 16/32-bit fields at its
 * "see zip64" value sends the reader to the zip64 record, whose count is used.
 */
export async function readZipEndRecord(size: number, readAt: ReadAt): Promise<ZipEndRecord> {
  const tailStart = Math.max(0, size - EOCD_SIZE - MAX_COMMENT - ZIP64_LOCATOR_SIZE);
  const tail = await readAt(tailStart, size - tailStart);
  const at = findEndRecord(tail, size - tailStart);
  const offset = tailStart + at;
  const diskNumber = tail.readUInt16LE(at + 4);
  const count16 = tail.readUInt16LE(at + 10);
  const directoryOffset32 = tail.readUInt32LE(at + 16);
  if (diskNumber !== 0xffff && count16 !== 0xffff && directoryOffset32 !== 0xffffffff) {
    return { offset, entries: count16, zip64: false };
  }
  // The locator sits just before the end record: inside the tail, which starts 20 bytes before the lowest place the record can be.
  const locator = at - ZIP64_LOCATOR_SIZE;
  if (locator < 0 || tail.readUInt32LE(locator) !== ZIP64_LOCATOR_SIGNATURE) throw unreadable('no zip64 locator');
  const recordOffset = safeNumber(tail.readBigUInt64LE(locator + 8));
  if (recordOffset + ZIP64_RECORD_SIZE > size) throw unreadable('no zip64 end record where its locator points');
  const record = await readAt(recordOffset, ZIP64_RECORD_SIZE);
  if (record.length < ZIP64_RECORD_SIZE || record.readUInt32LE(0) !== ZIP64_RECORD_SIGNATURE) {
    throw unreadable('no zip64 end record where its locator points');
  }
  // signature 4, record size 8, versions 2+2, disk 4, directory disk 4, records on this disk 8: the total is at +32.
  return { offset, entries: safeNumber(record.readBigUInt64LE(32)), zip64: true };
}

/**
 * Refuses, before any parsing, a zip whose directory lists more entries than
 * its bytes can hold as separate files (every entry has a directory record of
 * 46 bytes or more and a local header of 30 or more: more entries than that
 * share headers, the trick of a directory flood), or more than `maxFiles`.
 */
export async function checkZipEntryCount(size: number, readAt: ReadAt, maxFiles: number): Promise<ZipEndRecord> {
  const end = await readZipEndRecord(size, readAt);
  const allowed = `at most ${maxFiles} files and folders are allowed (MAX_EXTRACTED_FILES)`;
  if (end.entries * (MIN_DIRECTORY_RECORD + MIN_LOCAL_HEADER) > end.offset) {
    const over = end.entries > maxFiles ? `; ${allowed}` : '';
    throw new BerthError(
      'UNSAFE_ARCHIVE',
      `the zip's directory lists ${end.entries} entries in ${size} bytes, more than it can hold as separate files${over}`,
    );
  }
  if (end.entries > maxFiles) {
    throw new BerthError('ARCHIVE_TOO_LARGE', `the zip's directory lists ${end.entries} entries; ${allowed}`);
  }
  return end;
}

/** Scans `tail` back for a record whose comment length reaches exactly its last byte. */
function findEndRecord(tail: Buffer, length: number): number {
  if (tail.length !== length) throw unreadable('shorter than it says');
  for (let at = tail.length - EOCD_SIZE; at >= 0 && at >= tail.length - EOCD_SIZE - MAX_COMMENT; at--) {
    if (tail.readUInt32LE(at) !== EOCD_SIGNATURE) continue;
    if (at + EOCD_SIZE + tail.readUInt16LE(at + 20) === tail.length) return at;
  }
  throw unreadable('no end of central directory record');
}

/** An 8-byte field as a number; past 2^53 it cannot be a real offset or count, so it is capped (and then refused). */
function safeNumber(value: bigint): number {
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}
