import { describe, expect, it } from 'vitest';
import type { TokenCheck, TokenInfo } from '@berth/shared/token-store';
import { TokenCache } from '../../src/token-cache.ts';

// The store is a fake (this is the cache's logic); test/security/token-scopes.test.ts runs the real one.
function fakeStore() {
  const tokens = new Map<string, TokenInfo>();
  const store = {
    reads: 0,
    /** Resolves the next read only when released (a read under way while something else happens). */
    hold: undefined as Promise<void> | undefined,
    async check(secret: string): Promise<TokenCheck> {
      store.reads++;
      const info = tokens.get(secret);
      const answer: TokenCheck = !info ? { ok: false, reason: 'unknown' } : info.revokedAt ? { ok: false, reason: 'revoked' } : { ok: true, token: { ...info } };
      if (store.hold) await store.hold;
      return answer;
    },
  };
  const add = (secret: string, id: string) =>
    tokens.set(secret, { id, name: id, scope: 'deploy', createdAt: new Date(0), revokedAt: null, ownerUserId: null, projects: null, expiresAt: null, lastUsedAt: null });
  const revoke = (secret: string) => (tokens.get(secret)!.revokedAt = new Date());
  return { store, add, revoke };
}

describe('TokenCache', () => {
  it('reads a good token once per TOKEN_RECHECK_MS, so a revocation elsewhere takes effect within it', async () => {
    const { store, add, revoke } = fakeStore();
    let now = 1000;
    const cache = new TokenCache(store, 2000, 100, () => now);
    add('s1', 'tok_a');
    expect((await cache.check('s1')).ok).toBe(true);
    now += 1999;
    revoke('s1'); // in the database, by another API
    expect((await cache.check('s1')).ok).toBe(true);
    expect(store.reads).toBe(1);
    now += 1;
    expect(await cache.check('s1')).toEqual({ ok: false, reason: 'revoked' });
    expect(store.reads).toBe(2);
  });

  it('drops a revoked token at once through forget, and keeps no read that was under way then', async () => {
    const { store, add } = fakeStore();
    const cache = new TokenCache(store, 60_000, 100, () => 0);
    add('s1', 'tok_a');
    add('s2', 'tok_b');
    await cache.check('s1');
    await cache.check('s2');
    cache.forget('tok_a');
    expect(cache.size).toBe(1);
    await cache.check('s1');
    expect(store.reads).toBe(3);

    // A read that began before the revocation answers, but is not remembered.
    let release!: () => void;
    store.hold = new Promise((r) => (release = r));
    cache.forget('tok_a');
    const underWay = cache.check('s1');
    cache.forget('tok_a');
    release();
    expect((await underWay).ok).toBe(true);
    store.hold = undefined;
    await cache.check('s1');
    expect(store.reads).toBe(5);
  });

  it('remembers no unknown or revoked token (each is read again), and keeps at most maxEntries', async () => {
    const { store, add, revoke } = fakeStore();
    const cache = new TokenCache(store, 60_000, 2, () => 0);
    await cache.check('nobody');
    await cache.check('nobody');
    add('gone', 'tok_gone');
    revoke('gone');
    await cache.check('gone');
    await cache.check('gone');
    expect(store.reads).toBe(4);
    expect(cache.size).toBe(0);
    for (const s of ['a', 'b', 'c']) add(s, `tok_${s}`);
    for (const s of ['a', 'b', 'c']) await cache.check(s);
    expect(cache.size).toBe(2);
    await cache.check('a'); // the oldest went
    expect(store.reads).toBe(8);
  });

  it('with TOKEN_RECHECK_MS 0 remembers nothing', async () => {
    const { store, add } = fakeStore();
    const cache = new TokenCache(store, 0, 100, () => 0);
    add('s1', 'tok_a');
    await cache.check('s1');
    await cache.check('s1');
    expect(store.reads).toBe(2);
  });

  it('while the notices cannot arrive, answers nothing from memory and keeps nothing; forgetAll drops everything', async () => {
    const { store, add, revoke } = fakeStore();
    let live = true;
    const cache = new TokenCache(store, 60_000, 100, () => 0);
    cache.trustOnlyWhile(() => live);
    add('s1', 'tok_a');
    await cache.check('s1');
    expect(cache.size).toBe(1);
    live = false; // the subscription dropped: a revocation announced now would be missed
    revoke('s1');
    expect(await cache.check('s1')).toEqual({ ok: false, reason: 'revoked' });
    add('s2', 'tok_b');
    await cache.check('s2');
    await cache.check('s2');
    expect(store.reads).toBe(4);
    live = true;
    cache.forgetAll();
    expect(cache.size).toBe(0);
    await cache.check('s2');
    await cache.check('s2');
    expect(store.reads).toBe(5);
    // A read under way when everything is dropped is not kept either.
    add('s3', 'tok_c');
    store.hold = new Promise((resolve) => setTimeout(resolve, 5));
    const under = cache.check('s3');
    cache.forgetAll();
    store.hold = undefined;
    expect((await under).ok).toBe(true);
    expect(cache.size).toBe(0);
  });
});
