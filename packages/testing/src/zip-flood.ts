import { crc32 } from 'node:zlib';

/**
 * A zip whose central directory holds `records` records, every one pointing at
 * the same single local file: tiny to store per record (47 bytes), huge to
 * parse. 2.1 million records make the 98.7 MB archive of issue 24's door 6.
 * Written byte by byte (no zip library would make it), in well under a second.
 */
export interface FloodOptions {
  records: number;
  /** Write the zip64 end records (the 16-bit count then says 0xffff). */
  zip64?: boolean;
  /** The count the end record claims, when it should lie. */
  declared?: number;
  /** A comment after the end record. */
  comment?: string;
}

const NAME = 'a';
const CONTENT = Buffer.from('x');

export function zipDirectoryFlood(options: FloodOptions): Buffer {
  const { records, zip64 = false, declared = records } = options;
  const comment = Buffer.from(options.comment ?? '');
  const local = localHeader();
  const record = directoryRecord();
  const directorySize = records * record.length;
  const tail = (zip64 ? 56 + 20 : 0) + 22 + comment.length;
  const out = Buffer.alloc(local.length + directorySize + tail);
  local.copy(out, 0);
  fillRepeated(out, local.length, record, records);
  let at = local.length + directorySize;
  if (zip64) {
    at = writeZip64End(out, at, { declared, directorySize, directoryOffset: local.length });
  }
  out.writeUInt32LE(0x06054b50, at);
  const count16 = zip64 ? 0xffff : declared;
  out.writeUInt16LE(count16, at + 8);
  out.writeUInt16LE(count16, at + 10);
  out.writeUInt32LE(zip64 ? 0xffffffff : directorySize, at + 12);
  out.writeUInt32LE(zip64 ? 0xffffffff : local.length, at + 16);
  out.writeUInt16LE(comment.length, at + 20);
  comment.copy(out, at + 22);
  return out;
}

function localHeader(): Buffer {
  const header = Buffer.alloc(30 + NAME.length + CONTENT.length);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(10, 4); // version needed
  header.writeUInt32LE(crc32(CONTENT), 14);
  header.writeUInt32LE(CONTENT.length, 18);
  header.writeUInt32LE(CONTENT.length, 22);
  header.writeUInt16LE(NAME.length, 26);
  header.write(NAME, 30, 'latin1');
  CONTENT.copy(header, 30 + NAME.length);
  return header;
}

function directoryRecord(): Buffer {
  const record = Buffer.alloc(46 + NAME.length);
  record.writeUInt32LE(0x02014b50, 0);
  record.writeUInt16LE(0x031e, 4); // made by: Unix, 3.0
  record.writeUInt16LE(10, 6);
  record.writeUInt32LE(crc32(CONTENT), 16);
  record.writeUInt32LE(CONTENT.length, 20);
  record.writeUInt32LE(CONTENT.length, 24);
  record.writeUInt16LE(NAME.length, 28);
  record.writeUInt32LE((0o100644 << 16) >>> 0, 38);
  record.writeUInt32LE(0, 42); // every record points at the one local header
  record.write(NAME, 46, 'latin1');
  return record;
}

/** Copies `unit` `count` times from `start`, doubling what is already written. */
function fillRepeated(out: Buffer, start: number, unit: Buffer, count: number): void {
  if (count === 0) return;
  unit.copy(out, start);
  const end = start + unit.length * count;
  for (let filled = unit.length; start + filled < end; filled *= 2) {
    out.copyWithin(start + filled, start, Math.min(start + filled, end - filled));
  }
}

function writeZip64End(out: Buffer, at: number, o: { declared: number; directorySize: number; directoryOffset: number }): number {
  out.writeUInt32LE(0x06064b50, at);
  out.writeBigUInt64LE(44n, at + 4); // size of the rest of this record
  out.writeUInt16LE(45, at + 12);
  out.writeUInt16LE(45, at + 14);
  out.writeBigUInt64LE(BigInt(o.declared), at + 24);
  out.writeBigUInt64LE(BigInt(o.declared), at + 32);
  out.writeBigUInt64LE(BigInt(o.directorySize), at + 40);
  out.writeBigUInt64LE(BigInt(o.directoryOffset), at + 48);
  const locator = at + 56;
  out.writeUInt32LE(0x07064b50, locator);
  out.writeBigUInt64LE(BigInt(at), locator + 8);
  out.writeUInt32LE(1, locator + 16);
  return locator + 20;
}
