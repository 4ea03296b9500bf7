import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox } from '../../../src/secret-box.ts';
import { auditChainKey, auditChainPurpose, auditHash, canonicalJson, ChainVerifier, genesisHash, type AuditRecord } from '../../../src/accounts/audit-chain.ts';

function chain(n: number, key?: Buffer | ((id: number) => Buffer)): AuditRecord[] {
  const records: AuditRecord[] = [];
  let prevHash = genesisHash;
  for (let id = 1; id <= n; id++) {
    const unhashed = {
      id,
      at: new Date(Date.UTC(2026, 11, 6, 0, 0, id)),
      actorKind: 'user' as const,
      actorId: 'usr_1',
      actorName: 'ada@example.com',
      action: 'project.env.update',
      targetKind: 'project',
      targetId: 'shop',
      project: 'shop',
      clientAddress: '203.0.113.7',
      result: 'ok' as const,
      detail: { names: ['DATABASE_URL'], n: id },
      prevHash,
    };
    const record = { ...unhashed, hash: auditHash(unhashed, typeof key === 'function' ? key(id) : key) };
    records.push(record);
    prevHash = record.hash;
  }
  return records;
}

function verify(records: AuditRecord[], key?: Buffer, oldKeys: Buffer[] = []) {
  const v = new ChainVerifier(key, oldKeys);
  for (const r of records) v.feed(r);
  return v.verdict();
}

describe('the audit hash chain', () => {
  it('serializes objects with sorted keys at every depth (jsonb does not keep their order)', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null }, u: undefined })).toBe('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('accepts an intact chain, with or without a key, and one whose older rows were pruned', () => {
    expect(verify(chain(5))).toEqual({ ok: true, rows: 5, firstId: 1, lastId: 5 });
    const key = auditChainKey(randomBytes(32));
    expect(verify(chain(5, key), key).ok).toBe(true);
    expect(verify(chain(5).slice(2))).toEqual({ ok: true, rows: 3, firstId: 3, lastId: 5 });
    expect(verify([])).toEqual({ ok: true, rows: 0, firstId: null, lastId: null });
  });

  it('finds an edited field, a row taken out of the middle, rows swapped, and a chain made without the key', () => {
    const edited = chain(5);
    edited[2] = { ...edited[2]!, detail: { names: ['DATABASE_URL', 'EXTRA'], n: 3 } };
    expect(verify(edited)).toMatchObject({ ok: false, brokenAt: 3, reason: 'hash' });

    const actor = chain(5);
    actor[1] = { ...actor[1]!, actorName: 'someone-else@example.com' };
    expect(verify(actor)).toMatchObject({ ok: false, brokenAt: 2, reason: 'hash' });

    const gap = chain(5);
    gap.splice(2, 1);
    expect(verify(gap)).toMatchObject({ ok: false, brokenAt: 4, reason: 'link' });

    const swapped = chain(5);
    [swapped[1], swapped[2]] = [swapped[2]!, swapped[1]!];
    expect(verify(swapped)).toMatchObject({ ok: false, brokenAt: 3, reason: 'link' });

    const replayed = chain(3);
    expect(verify([...replayed, replayed[1]!])).toMatchObject({ ok: false, brokenAt: 2, reason: 'order' });

    // Rehashing a forged chain needs the key: without it the hashes are not the keyed ones.
    const key = auditChainKey(randomBytes(32));
    expect(verify(chain(3), key)).toMatchObject({ ok: false, brokenAt: 1, reason: 'hash' });
  });

  it('verifies rows chained before a key rotation under the old key, and only while that key is kept', () => {
    const oldSecret = randomBytes(32);
    const before = new SecretBox(oldSecret).derivedKeys(auditChainPurpose);
    const after = new SecretBox(randomBytes(32), [oldSecret]).derivedKeys(auditChainPurpose);
    // The current key's chain key first, then the old key's: the same one the old box derived.
    expect(after).toHaveLength(2);
    expect(after[1]).toEqual(before[0]);
    expect(before[0]).toEqual(auditChainKey(oldSecret));
    const rotated = chain(6, (id) => (id <= 3 ? before[0]! : after[0]!));
    expect(verify(rotated, after[0], after.slice(1))).toEqual({ ok: true, rows: 6, firstId: 1, lastId: 6 });
    expect(verify(rotated, after[0])).toMatchObject({ ok: false, brokenAt: 1, reason: 'hash' });
    // An old key does not make plain SHA-256 rows acceptable.
    expect(verify(chain(2), after[0], after.slice(1))).toMatchObject({ ok: false, brokenAt: 1, reason: 'hash' });
  });
});
