import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { legacySeal } from '@berth/testing/sealing';
import { loadSecretBox, sealedPlace, SecretBox } from '../../src/secret-box.ts';

// Issue 24, door 11: a sealed value was bound to nothing (it opened in any
// row it was copied to) and named no key (the key could not be rotated).


const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return 'opened';
};

describe('sealed values are bound to their place', () => {
  const box = new SecretBox(randomBytes(32));
  const mine = sealedPlace('shop', 'env');

  it('open only where they were sealed for: another project, another kind, or no place fails with SECRET_MISPLACED', () => {
    const sealed = box.seal({ TOKEN: 'shop-token' }, mine);
    expect(box.open(sealed, mine)).toEqual({ TOKEN: 'shop-token' });
    expect(code(() => box.open(sealed, sealedPlace('blog', 'env')))).toBe('SECRET_MISPLACED');
    expect(code(() => box.open(sealed, sealedPlace('shop', 'buildEnv')))).toBe('SECRET_MISPLACED');
    expect(code(() => box.open(sealed))).toBe('SECRET_MISPLACED');
    // A project named so that its place spells another's does not exist: names have no colon.
    expect(sealedPlace('shop', 'env')).not.toBe(sealedPlace('shop:env', 'env'));
  });

  it('carry the id of the key that sealed them, and a key swapped in for another is named in the refusal', () => {
    const sealed = box.seal({ A: 'b' }, mine);
    expect(sealed.split('.').slice(0, 2)).toEqual(['v2', box.keyId]);
    expect(box.keyId).toMatch(/^[0-9a-f]{12}$/);
    const other = new SecretBox(randomBytes(32));
    expect(() => other.open(sealed, mine)).toThrow(expect.objectContaining({ code: 'SECRET_UNREADABLE', message: expect.stringContaining(box.keyId) }));
    // A forged key id does not help: the id is part of the associated data.
    const [, , ...rest] = sealed.split('.');
    expect(code(() => other.open(['v2', other.keyId, ...rest].join('.'), mine))).toBe('SECRET_MISPLACED');
  });
});

describe('key rotation', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const place = sealedPlace('shop', 'buildEnv');

  it('an old key still opens what it sealed; only the current key seals', () => {
    const before = new SecretBox(oldKey).seal({ A: 'old' }, place);
    const rotated = new SecretBox(newKey, [oldKey]);
    expect(rotated.open(before, place)).toEqual({ A: 'old' });
    expect(rotated.isCurrent(before)).toBe(false);
    const after = rotated.seal({ A: 'new' }, place);
    expect(rotated.isCurrent(after)).toBe(true);
    expect(code(() => new SecretBox(oldKey).open(after, place))).toBe('SECRET_UNREADABLE');
    expect(new SecretBox(newKey).open(after, place)).toEqual({ A: 'new' });
  });

  it('values sealed before key ids and places (v1) still open, under the current or an old key, wherever asked', () => {
    const rotated = new SecretBox(newKey, [oldKey]);
    expect(rotated.open(legacySeal(oldKey, { A: '1' }), place)).toEqual({ A: '1' });
    expect(rotated.open(legacySeal(newKey, { B: '2' }))).toEqual({ B: '2' });
    expect(rotated.openOr(legacySeal(oldKey, { C: '3' }), {}, place)).toEqual({ C: '3' });
    expect(code(() => rotated.open(legacySeal(randomBytes(32), { D: '4' }), place))).toBe('SECRET_UNREADABLE');
  });

  it('BERTH_OLD_SECRET_KEYS (comma-separated, hex or base64) are loaded beside the current key', async () => {
    const box = await loadSecretBox({ BERTH_SECRET_KEY: newKey.toString('hex'), BERTH_OLD_SECRET_KEYS: ` ${oldKey.toString('base64')}, ${randomBytes(32).toString('hex')} ` });
    expect(box.open(new SecretBox(oldKey).seal({ A: 'x' }, place), place)).toEqual({ A: 'x' });
    expect(box.keyId).toBe(new SecretBox(newKey).keyId);
  });
});
