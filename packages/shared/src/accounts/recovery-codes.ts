import { createHash, randomBytes } from 'node:crypto';

/**
 * Recovery codes for a lost authenticator: shown once, stored as SHA-256
 * hashes, each good for one sign-in. A code is 16 characters of a 32-letter
 * alphabet (80 random bits), so a fast hash is enough: there is nothing to
 * guess offline that is cheaper than the code itself.
 */
export const recoveryCodeCount = 10;

/** Crockford's base32: no i, l, o or u, which read as 1, 1, 0 or v. */
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

/** One code, grouped for reading: `abcd-efgh-jkmn-pqrs`. */
function newRecoveryCode(): string {
  const bytes = randomBytes(16);
  let code = '';
  for (const byte of bytes) code += alphabet[byte & 31];
  return code.match(/.{4}/g)!.join('-');
}

/** How a code is compared: case, spaces and dashes do not matter, and i, l, o are read as 1, 1, 0 (Crockford). */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '').replace(/[il]/g, '1').replace(/o/g, '0');
}

export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(`berth-recovery:${normalizeRecoveryCode(code)}`).digest('hex');
}

/** A fresh set: the codes to show once and the hashes to store. */
export function newRecoveryCodes(count: number = recoveryCodeCount): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: count }, newRecoveryCode);
  return { codes, hashes: codes.map(hashRecoveryCode) };
}
