import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { backupChunkBytes, decryptBackup, encryptBackup } from '../../src/backup-crypto.ts';
import { SecretBox } from '../../src/secret-box.ts';

const box = new SecretBox(Buffer.alloc(32, 1));

async function collect(source: Buffer, ...stages: NodeJS.ReadWriteStream[]): Promise<Buffer> {
  const parts: Buffer[] = [];
  // Fed in odd-sized pieces: chunk borders never line up with the input's.
  const pieces = Array.from({ length: Math.ceil(source.length / 7777) }, (_, i) => source.subarray(i * 7777, (i + 1) * 7777));
  await pipeline(Readable.from(pieces), ...(stages as [NodeJS.ReadWriteStream]), new Writable({ write: (c: Buffer, _e, done) => (parts.push(c), done()) }));
  return Buffer.concat(parts);
}
const seal = (plain: Buffer, id = 'bkpaaaaaaaaaaaa', secrets = box) => collect(plain, encryptBackup(secrets, id));
const open = (file: Buffer, id = 'bkpaaaaaaaaaaaa', secrets = box) => collect(file, decryptBackup(secrets, id));

describe('backup files (streaming AES-256-GCM in chunks)', () => {
  it('round-trips empty, small and multi-chunk data, and hides it', async () => {
    for (const plain of [Buffer.alloc(0), Buffer.from('hello'), randomBytes(backupChunkBytes), randomBytes(backupChunkBytes * 3 + 5)]) {
      const file = await seal(plain);
      if (plain.length >= 16) expect(file.includes(plain.subarray(0, 16))).toBe(false);
      expect((await open(file)).equals(plain)).toBe(true);
    }
  });

  it('opens under an old key after a rotation', async () => {
    const file = await seal(Buffer.from('rows'));
    const rotated = new SecretBox(Buffer.alloc(32, 2), [Buffer.alloc(32, 1)]);
    expect((await open(file, undefined, rotated)).toString()).toBe('rows');
  });

  it('refuses an altered byte anywhere, a truncation, extra bytes, another backup id and another key', async () => {
    const plain = randomBytes(backupChunkBytes * 2 + 100);
    const file = await seal(plain);
    for (const at of [0, 10, 40, 1000, backupChunkBytes + 60, file.length - 1]) {
      const altered = Buffer.from(file);
      altered[at]! ^= 1;
      await expect(open(altered), `byte ${at}`).rejects.toMatchObject({ code: 'BACKUP_CORRUPT' });
    }
    await expect(open(file.subarray(0, file.length - 200))).rejects.toMatchObject({ code: 'BACKUP_CORRUPT' });
    await expect(open(file.subarray(0, backupChunkBytes + 48))).rejects.toMatchObject({ code: 'BACKUP_CORRUPT' });
    await expect(open(Buffer.concat([file, Buffer.from('more bytes')]))).rejects.toMatchObject({ code: 'BACKUP_CORRUPT' });
    await expect(open(file, 'bkpbbbbbbbbbbbb')).rejects.toMatchObject({ code: 'BACKUP_CORRUPT' });
    await expect(open(file, undefined, new SecretBox(Buffer.alloc(32, 3)))).rejects.toMatchObject({ code: 'BACKUP_CORRUPT' });
  });
});
