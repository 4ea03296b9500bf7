import { hashToken, type TokenCheck } from '@berth/shared/token-store';

type Good<C extends TokenCheck> = Extract<C, { ok: true }>;

interface Entry<C extends TokenCheck> {
  check: Good<C>;
  expires: number;
}

/**
 * Verified tokens, remembered for at most `ttlMs` (TOKEN_RECHECK_MS), so a
 * burst of requests with one token costs one database read, not one each.
 *
 * Revocation keeps the Security model's promise: through this process it
 * takes effect at once (`forget`, called by the revoke route and by the
 * revocation notice from other API processes); anywhere else (another API
 * without the notice, a change made straight in the database, a changed
 * BERTH_ADMIN_TOKEN) within `ttlMs`, the bound open streams already have.
 * An entry's age counts from when its database read began, so a revocation
 * that lands during the read is still within the bound. Only good answers are
 * kept: an unknown or revoked token is looked up every time (a token made a
 * moment ago on another API works at once, and guessing fills no memory).
 * While the notices cannot arrive (`trustOnlyWhile` says the subscription is
 * down) nothing is kept or answered from memory: every check reads the
 * database, as if there were no cache.
 */
export class TokenCache<C extends TokenCheck = TokenCheck> {
  private readonly entries = new Map<string, Entry<C>>();
  /** Bumped by every `forget`: a read that began before one is not kept. */
  private generation = 0;
  private trusted: () => boolean = () => true;

  constructor(
    private readonly store: { check(secret: string): Promise<C> },
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async check(secret: string): Promise<C> {
    const key = hashToken(secret);
    const started = this.now();
    if (!this.trusted()) return this.store.check(secret);
    const hit = this.entries.get(key);
    if (hit && hit.expires > started) return hit.check;
    if (hit) this.entries.delete(key);
    const generation = this.generation;
    const result = await this.store.check(secret);
    if (result.ok && generation === this.generation && this.ttlMs > 0 && this.trusted()) {
      // Oldest first: when full, the entry kept longest goes.
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { check: result as Good<C>, expires: started + this.ttlMs });
    }
    return result;
  }

  /** Drops a token at once (it was revoked); every read under way is not kept either. */
  forget(tokenId: string): void {
    this.generation++;
    for (const [key, entry] of this.entries) if (entry.check.token.id === tokenId) this.entries.delete(key);
  }

  /**
   * Drops every token of a person at once (disabled, or their roles changed:
   * what their tokens may do changed with them); every read under way is not kept either.
   */
  forgetOwner(userId: string): void {
    this.generation++;
    for (const [key, entry] of this.entries) if (entry.check.token.ownerUserId === userId) this.entries.delete(key);
  }

  /** Drops everything (the notices may have been missed); every read under way is not kept either. */
  forgetAll(): void {
    this.generation++;
    this.entries.clear();
  }

  /** Answers from memory only while `trusted()` (the revocation notices' subscription is up). */
  trustOnlyWhile(trusted: () => boolean): void {
    this.trusted = trusted;
  }

  get size(): number {
    return this.entries.size;
  }
}
