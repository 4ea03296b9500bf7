import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { BerthError } from './errors.ts';
import type { SecretBox } from './secret-box.ts';

/**
 * Backup files, encrypted as they stream (never whole in memory): AES-256-GCM in chunks.
 *
 *   header: "BERTHBK1" | key tag (8 bytes) | salt (16 bytes)
 *   chunk:  length (4 bytes, big-endian; top bit set on the last chunk) | ciphertext | GCM tag (16)
 *
 * The file key is HKDF(installation key for backups, salt, "berth backup:" + backup id): a file
 * opens only as the backup it was written for (another backup's file put in its place fails). The
 * nonce is the chunk's number, so chunks cannot be reordered or repeated; each chunk's length word
 * is its associated data, so the last-chunk mark cannot be moved: a truncated file, bytes after
 * the last chunk, or any altered byte fail with BACKUP_CORRUPT. The key tag says which of the
 * installation's keys (BERTH_SECRET_KEY, then BERTH_OLD_SECRET_KEYS) wrote it.
 */
const magic = Buffer.from('BERTHBK1');
const headerBytes = magic.length + 8 + 16;
export const backupChunkBytes = 64 * 1024;
const tagBytes = 16;
const lastFlag = 0x80000000;
const purpose = 'berth service backups v1';

const corrupt = (why: string) => new BerthError('BACKUP_CORRUPT', `the backup file does not check out (${why}); it was altered, truncated or is not this backup's`);
const keyTag = (key: Buffer) => createHash('sha256').update(key).digest().subarray(0, 8);
const fileKey = (key: Buffer, salt: Buffer, backupId: string) => Buffer.from(hkdfSync('sha256', key, salt, `berth backup:${backupId}`, 32));
function nonce(counter: number): Buffer {
  const n = Buffer.alloc(12);
  n.writeBigUInt64BE(BigInt(counter), 4);
  return n;
}

/** Plaintext in, the encrypted file out. */
export function encryptBackup(secrets: SecretBox, backupId: string): Transform {
  const key = secrets.derivedKeys(purpose)[0]!;
  const salt = randomBytes(16);
  const k = fileKey(key, salt, backupId);
  let counter = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const seal = (plain: Buffer, last: boolean): Buffer => {
    const word = Buffer.alloc(4);
    word.writeUInt32BE((plain.length | (last ? lastFlag : 0)) >>> 0);
    const cipher = createCipheriv('aes-256-gcm', k, nonce(counter++));
    cipher.setAAD(word);
    return Buffer.concat([word, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  };
  return new Transform({
    construct(done) {
      this.push(Buffer.concat([magic, keyTag(key), salt]));
      done();
    },
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes > backupChunkBytes) {
        let all = Buffer.concat(pending);
        while (all.length > backupChunkBytes) {
          this.push(seal(all.subarray(0, backupChunkBytes), false));
          all = all.subarray(backupChunkBytes);
        }
        pending = [all];
        pendingBytes = all.length;
      }
      done();
    },
    flush(done: TransformCallback) {
      this.push(seal(Buffer.concat(pending), true));
      done();
    },
  });
}

/** The encrypted file in, its plaintext out; fails with BACKUP_CORRUPT on anything that does not check out. */
export function decryptBackup(secrets: SecretBox, backupId: string): Transform {
  const keys = secrets.derivedKeys(purpose);
  let k: Buffer | undefined;
  let counter = 0;
  let ended = false;
  let buffered: Buffer = Buffer.alloc(0);
  const open = (): Buffer | undefined => {
    if (!k) {
      if (buffered.length < headerBytes) return undefined;
      if (!buffered.subarray(0, magic.length).equals(magic)) throw corrupt('not a Berth backup file');
      const tag = buffered.subarray(magic.length, magic.length + 8);
      const key = keys.find((candidate) => keyTag(candidate).equals(tag));
      if (!key) throw corrupt('sealed with a key this installation does not have');
      k = fileKey(key, buffered.subarray(magic.length + 8, headerBytes), backupId);
      buffered = buffered.subarray(headerBytes);
    }
    if (buffered.length < 4) return undefined;
    if (ended) throw corrupt('bytes after the last chunk');
    const word = buffered.readUInt32BE(0);
    const length = word & ~lastFlag;
    if (length > backupChunkBytes) throw corrupt('a chunk longer than any written');
    if (buffered.length < 4 + length + tagBytes) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', k, nonce(counter++));
    decipher.setAAD(buffered.subarray(0, 4));
    decipher.setAuthTag(buffered.subarray(4 + length, 4 + length + tagBytes));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(buffered.subarray(4, 4 + length)), decipher.final()]);
    } catch {
      throw corrupt(`chunk ${counter - 1} fails its check`);
    }
    ended = (word & lastFlag) !== 0;
    buffered = buffered.subarray(4 + length + tagBytes);
    return plain;
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      try {
        for (let plain = open(); plain; plain = open()) if (plain.length > 0) this.push(plain);
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      if (!ended || buffered.length > 0) done(corrupt(ended ? 'bytes after the last chunk' : 'it ends before its last chunk'));
      else done();
    },
  });
}
