import { createCipheriv, randomBytes } from 'node:crypto';

/**
 * A value sealed as Berth sealed values before key ids and places (`v1.<iv>.<tag>.<ciphertext>`):
 * what a database from an older version holds (SecretBox still opens it; secrets rotate-key re-seals it).
 */
export function legacySeal(key: Buffer, values: Record<string, string>): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final()]);
  return ['v1', ...[iv, cipher.getAuthTag(), data].map((p) => p.toString('base64url'))].join('.');
}
