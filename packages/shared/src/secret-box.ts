import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { ConfigError } from './config.ts';
import { BerthError } from './errors.ts';

/** What a sealed value is in its project: part of the place it is bound to. */
export type SealedKind = 'env' | 'buildEnv' | 'previewEnv' | 'previewBuildEnv' | 'hookSecret' | 'webhookSecret' | 'logDrainSecret' | 'registryAuth' | 'servicePassword';

/**
 * Where a sealed value belongs: its project and what it is there. A
 * deployment's env snapshot belongs where its project's env does (so a
 * redeploy or a rollback may copy it within the project, and nowhere else).
 */
export function sealedPlace(project: string, kind: SealedKind): string {
  return `project:${project}:${kind}`;
}

/** A short public name of a key, stored in each value it seals (a hash, so it tells nothing of the key). */
function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('berth secret key id\0').update(key).digest('hex').slice(0, 12);
}

/**
 * Values at rest: sealed with AES-256-GCM under BERTH_SECRET_KEY, so a
 * database dump or backup carries no secret in the clear. Format:
 * `v2.<key id>.<iv>.<tag>.<ciphertext>` (base64url). The associated data is
 * the version, the key id and the value's place (`sealedPlace`): a value
 * copied into another project's row, or from env to build env, fails to open
 * instead of serving there. The key id says which key opens it, so a key can
 * be rotated: old keys (BERTH_OLD_SECRET_KEYS) still open, only the current
 * one seals. `v1.<iv>.<tag>.<ciphertext>` (no key id, no place) is what
 * older versions wrote: it still opens, under any of the keys, until
 * `npm run berth -- secrets rotate-key` re-seals it bound to its place.
 */
export class SecretBox {
  /** The id of the key that seals. */
  readonly keyId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(key: Buffer, oldKeys: readonly Buffer[] = []) {
    for (const k of [key, ...oldKeys]) {
      if (k.length !== 32) throw new Error('a secret key is 32 bytes');
      if (!this.keys.has(keyIdOf(k))) this.keys.set(keyIdOf(k), k);
    }
    this.keyId = keyIdOf(key);
  }

  /**
   * Keys for another purpose (HKDF; `purpose` is its info), derived from the
   * current key first, then from each old one: a key rotation changes them
   * too, and what the old ones made still checks out.
   */
  derivedKeys(purpose: string): Buffer[] {
    const current = this.keys.get(this.keyId)!;
    const ordered = [current, ...[...this.keys.values()].filter((k) => k !== current)];
    return ordered.map((k) => Buffer.from(hkdfSync('sha256', k, Buffer.alloc(0), purpose, 32)));
  }

  /** `values` sealed under the current key, bound to `place` (empty: bound to no place). */
  seal(values: Readonly<Record<string, string>>, place = ''): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.keyId)!, iv);
    cipher.setAAD(associatedData(this.keyId, place));
    const data = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final()]);
    return ['v2', this.keyId, ...[iv, cipher.getAuthTag(), data].map((p) => p.toString('base64url'))].join('.');
  }

  /** The values of `sealed`, which must have been sealed for `place`. */
  open(sealed: string, place = ''): Record<string, string> {
    const parts = sealed.split('.');
    if (parts[0] === 'v1' && parts.length === 4) return this.openLegacy(parts);
    const [version, keyId, iv, tag, data] = parts;
    if (version !== 'v2' || !keyId || !iv || !tag || data === undefined || parts.length !== 5) {
      throw new BerthError('SECRET_UNREADABLE', 'a sealed value has an unknown format');
    }
    const key = this.keys.get(keyId);
    if (!key) {
      throw new BerthError(
        'SECRET_UNREADABLE',
        `a sealed value is under key ${keyId}, which is neither BERTH_SECRET_KEY nor in BERTH_OLD_SECRET_KEYS (was the key changed?); set it again with PUT /api/projects/<name>/env`,
      );
    }
    try {
      return decrypt(key, iv, tag, data, associatedData(keyId, place));
    } catch (err) {
      throw new BerthError(
        'SECRET_MISPLACED',
        `a sealed value does not belong here (${place || 'no place'}): it was sealed for another row, or altered; set it again with PUT /api/projects/<name>/env`,
        { cause: err },
      );
    }
  }

  /** A row's env: sealed if it has one, else the plain value of rows made before sealing. */
  openOr(sealed: string | null, plain: Record<string, string> | null | undefined, place = ''): Record<string, string> {
    return sealed ? this.open(sealed, place) : { ...(plain ?? {}) };
  }

  /** Whether `sealed` is under the current key in the current format: nothing for a rotation to do. */
  isCurrent(sealed: string): boolean {
    return sealed.startsWith(`v2.${this.keyId}.`);
  }

  /** A value from before key ids and places: whichever key opens it. */
  private openLegacy([, iv, tag, data]: string[]): Record<string, string> {
    for (const key of this.keys.values()) {
      try {
        return decrypt(key, iv!, tag!, data!, undefined);
      } catch {
        // Another key may have sealed it.
      }
    }
    throw new BerthError(
      'SECRET_UNREADABLE',
      'the env was sealed with another BERTH_SECRET_KEY (was the key changed?); set it again with PUT /api/projects/<name>/env',
    );
  }
}

function associatedData(keyId: string, place: string): Buffer {
  return Buffer.from(`v2.${keyId}.${place}`, 'utf8');
}

function decrypt(key: Buffer, iv: string, tag: string, data: string, aad: Buffer | undefined): Record<string, string> {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  if (aad) decipher.setAAD(aad);
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const text = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  return z.record(z.string(), z.string()).parse(JSON.parse(text));
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
  BERTH_OLD_SECRET_KEYS: z
    .string()
    .optional()
    .refine((s) => s === undefined || oldKeysOf(s) !== undefined, 'expected keys of 32 bytes (64 hex digits or base64), separated by commas')
    .describe(
      'Keys that sealed values before a key rotation (comma-separated, hex or base64): they still open values, never seal one; remove a key once `npm run berth -- secrets rotate-key` has re-sealed everything under the current one',
    ),
};

function oldKeysOf(text: string): Buffer[] | undefined {
  const keys = text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0)
    .map(decodeKey);
  return keys.every((k) => k !== undefined) ? (keys as Buffer[]) : undefined;
}

type SecretKeyConfig = { BERTH_SECRET_KEY?: string | undefined; BERTH_SECRET_KEY_FILE?: string | undefined; BERTH_OLD_SECRET_KEYS?: string | undefined };

/**
 * The installation's secret key: BERTH_SECRET_KEY, or the file, generated on
 * first use like the admin token, with the old keys that still open values. Two programs starting at once agree: the
 * file is created exclusively, and the loser reads the winner's key.
 */
export async function loadSecretBox(config: SecretKeyConfig): Promise<SecretBox> {
  const oldKeys = config.BERTH_OLD_SECRET_KEYS ? (oldKeysOf(config.BERTH_OLD_SECRET_KEYS) ?? []) : [];
  if (config.BERTH_SECRET_KEY) return new SecretBox(decodeKey(config.BERTH_SECRET_KEY)!, oldKeys);
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
  return new SecretBox(key, oldKeys);
}
