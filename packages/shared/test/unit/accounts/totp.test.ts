import { describe, expect, it } from 'vitest';
import {
  base32Decode,
  base32Encode,
  hotp,
  newTotpSecret,
  otpauthUri,
  totpCode,
  totpStep,
  verifyTotp,
} from '../../../src/accounts/totp.ts';
import { hashRecoveryCode, newRecoveryCodes, normalizeRecoveryCode } from '../../../src/accounts/recovery-codes.ts';

// RFC 6238 appendix B, the SHA-1 column: the seed is the ASCII "12345678901234567890".
const rfcSecret = Buffer.from('12345678901234567890', 'ascii');
const rfcVectors: [seconds: number, code: string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC 6238 test vectors (8 digits) and their last 6 digits', () => {
    for (const [seconds, code] of rfcVectors) {
      expect(totpCode(rfcSecret, seconds * 1000, 8)).toBe(code);
      expect(totpCode(rfcSecret, seconds * 1000)).toBe(code.slice(2));
    }
  });

  it('matches the RFC 4226 HOTP test vectors', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expected.forEach((code, counter) => expect(hotp(rfcSecret, counter)).toBe(code));
  });

  it('accepts the code of the step before, now and after, returns the step, and refuses the rest', () => {
    const secret = newTotpSecret();
    const now = Date.UTC(2026, 11, 6, 12, 0, 15);
    const step = totpStep(now);
    for (const delta of [-1, 0, 1]) {
      expect(verifyTotp(secret, totpCode(secret, now + delta * 30_000), now)).toBe(step + delta);
    }
    expect(verifyTotp(secret, totpCode(secret, now - 60_000), now)).toBeUndefined();
    expect(verifyTotp(secret, totpCode(secret, now + 60_000), now)).toBeUndefined();
    expect(verifyTotp(secret, '12345', now)).toBeUndefined();
    expect(verifyTotp(secret, '', now)).toBeUndefined();
    expect(verifyTotp(newTotpSecret(), totpCode(secret, now), now)).toBeUndefined();
    expect(verifyTotp(secret, ` ${totpCode(secret, now).replace(/^(...)/, '$1 ')} `, now)).toBe(step);
  });

  it('round-trips secrets through RFC 4648 base32 (the RFC 4648 vectors too)', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Encode(Buffer.from('fooba'))).toBe('MZXW6YTB');
    expect(base32Encode(Buffer.from('f'))).toBe('MY');
    expect(base32Decode('MZXW6YTBOI======').toString()).toBe('foobar');
    expect(base32Decode('mzxw 6ytb oi').toString()).toBe('foobar');
    const secret = newTotpSecret();
    expect(secret).toHaveLength(20);
    expect(base32Decode(base32Encode(secret)).equals(secret)).toBe(true);
    expect(() => base32Decode('not base32 1')).toThrow(/base32/);
  });

  it('makes the otpauth URI an authenticator app scans', () => {
    const uri = new URL(otpauthUri('Berth', 'ada@example.com', rfcSecret));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Berth:ada@example.com');
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      secret: base32Encode(rfcSecret),
      issuer: 'Berth',
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
  });
});

describe('recovery codes', () => {
  it('makes ten distinct codes, hashed, and reads them back whatever their case, spacing and look-alike letters', () => {
    const { codes, hashes } = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/);
    expect(hashes).toEqual(codes.map(hashRecoveryCode));
    expect(hashes.join()).not.toContain(normalizeRecoveryCode(codes[0]!));
    expect(hashRecoveryCode(` ${codes[0]!.toUpperCase().replace(/-/g, ' ')} `)).toBe(hashes[0]);
    expect(normalizeRecoveryCode('O1iL-ab')).toBe('0111ab');
  });
});
