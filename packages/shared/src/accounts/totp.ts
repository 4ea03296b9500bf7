import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP) as
 * authenticator apps make them: HMAC-SHA-1, 30-second steps, 6 digits. A
 * code of the step before or after is accepted too (clock drift); the step
 * a code matched is returned so the caller can refuse it a second time.
 */
export const totpStepSeconds = 30;
export const totpDigits = 6;
/** Steps either side of now that are accepted. */
export const totpWindow = 1;

const base32Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding: how authenticator apps take a secret. */
export function base32Encode(data: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of data) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += base32Alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += base32Alphabet[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = base32Alphabet.indexOf(char);
    if (index < 0) throw new Error(`"${char}" is not a base32 digit`);
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** A new secret: 20 random bytes (160 bits, RFC 4226's recommended length). */
export function newTotpSecret(): Buffer {
  return randomBytes(20);
}

/** The time step of a moment (milliseconds since the epoch). */
export function totpStep(atMs: number): number {
  return Math.floor(atMs / 1000 / totpStepSeconds);
}

/** RFC 4226 HOTP of one counter value, `digits` long (RFC 6238's vectors use 8). */
export function hotp(secret: Buffer, counter: number, digits: number = totpDigits): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', secret).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The code an authenticator shows at `atMs`. */
export function totpCode(secret: Buffer, atMs: number, digits: number = totpDigits): string {
  return hotp(secret, totpStep(atMs), digits);
}

/**
 * The step `code` is valid for at `atMs` (now, one before or one after), or
 * undefined. Every candidate is compared in constant time.
 */
export function verifyTotp(secret: Buffer, code: string, atMs: number): number | undefined {
  const given = Buffer.from(code.replace(/\s/g, ''));
  const now = totpStep(atMs);
  let matched: number | undefined;
  for (let step = now - totpWindow; step <= now + totpWindow; step++) {
    const expected = Buffer.from(hotp(secret, step));
    if (expected.length === given.length && timingSafeEqual(expected, given) && matched === undefined) matched = step;
  }
  return matched;
}

/** The otpauth:// URI an authenticator app scans (as a QR code) to enrol the secret. */
export function otpauthUri(issuer: string, account: string, secret: Buffer): string {
  const label = encodeURIComponent(`${issuer}:${account}`);
  const params = new URLSearchParams({
    secret: base32Encode(secret),
    issuer,
    algorithm: 'SHA1',
    digits: String(totpDigits),
    period: String(totpStepSeconds),
  });
  return `otpauth://totp/${label}?${params.toString()}`;
}
