import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { ConfigError } from './config.ts';
import { BerthError } from './errors.ts';

/**
 * Env values at rest: sealed with AES-256-GCM under BERTH_SECRET_KEY, so a
 * database dump or backup carries no secret in the clear. Format:
 * `v1.<iv>.<tag>.<ciphertext>` (base64url); the tag makes a tampered or
 * foreign value fail to open instead of decrypting to garbage.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('a secret key is 32 bytes');
  }

  seal(values: Readonly<Record<string, string>>): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  open(sealed: string): Record<string, string> {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || data === undefined) throw new BerthError('SECRET_UNREADABLE', 'a sealed env value has an unknown format');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const text = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
      return z.record(z.string(), z.string()).parse(JSON.parse(text));
    } catch (err) {
      throw new BerthError(
        'SECRET_UNREADABLE',
        'the env was sealed with another BERTH_SECRET_KEY (was the key changed?); set it again with PUT /api/projects/<name>/env',
        { cause: err },
      );
    }
  }

  /** A row's env: sealed if it has one, else the plain value of rows made before sealing. */
  openOr(sealed: string | null, plain: Record<string, string> | null | undefined): Record<string, string> {
    return sealed ? this.open(sealed) : { ...(plain ?? {}) };
  }
}

const keyText = z
  .string()
  .trim()
  .refine((s) => decodeKey(s) !== undefined, 'expected 32 bytes as 64 hex digits or base64');

function decodeKey(text: string): Buffer | undefined {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  const b = Buffer.from(t, 'base64');
  return b.length === 32 ? b : undefined;
}

/** Config fields of the programs that seal or open env values (the API and the worker). */
export const secretKeyEnv = {
  BERTH_SECRET_KEY: keyText
    .optional()
    .describe('32 bytes (64 hex digits or base64) that seal env values at rest; one key for every API and worker of an installation'),
  BERTH_SECRET_KEY_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('Where the key is kept when BERTH_SECRET_KEY is not set: read, or generated once (mode 0600); `npm run up` sets `.berth/secret-key`'),
};

/**
 * The installation's secret key: BERTH_SECRET_KEY, or the file, generated on
 * first use like the admin token. Two programs starting at once agree: the
 * file is created exclusively, and the loser reads the winner's key.
 */
export async function loadSecretBox(config: { BERTH_SECRET_KEY?: string | undefined; BERTH_SECRET_KEY_FILE?: string | undefined }): Promise<SecretBox> {
  if (config.BERTH_SECRET_KEY) return new SecretBox(decodeKey(config.BERTH_SECRET_KEY)!);
  const file = config.BERTH_SECRET_KEY_FILE;
  if (!file) {
    throw new ConfigError(['BERTH_SECRET_KEY: set it (32 bytes, hex or base64), or BERTH_SECRET_KEY_FILE to have one generated into that file']);
  }
  try {
    await writeFile(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(file, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const key = decodeKey(await readFile(file, 'utf8'));
  if (!key) throw new ConfigError([`BERTH_SECRET_KEY_FILE: ${file} does not hold a 32-byte key (64 hex digits or base64)`]);
  return new SecretBox(key);
}
