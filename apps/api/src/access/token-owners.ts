import type { MemberStore } from '@berth/shared/accounts/member-store';
import type { Person } from '@berth/shared/accounts/principal';
import type { UserStore } from '@berth/shared/accounts/user-store';
import type { TokenCheck, TokenStore } from '@berth/shared/token-store';

/** A person who owns a token, with what decides their rights now. */
export type TokenOwner = Person & { disabledAt: Date | null };

/** A token check that also carries a personal token's owner (what the API's TokenCache keeps). */
export type OwnedTokenCheck = Exclude<TokenCheck, { ok: true }> | (Extract<TokenCheck, { ok: true }> & { owner?: TokenOwner });

/**
 * Checks a token and, for a personal one, reads its owner: their instance
 * role, whether they are disabled, and their role in each project. One
 * answer, so the cache remembers a token and its owner's rights together
 * (for at most TOKEN_RECHECK_MS; `TokenCache.forgetOwner` drops them at once).
 */
export function ownedTokenChecks(
  tokens: Pick<TokenStore, 'check'>,
  users: Pick<UserStore, 'get'>,
  members: Pick<MemberStore, 'rolesOf'>,
): { check(secret: string): Promise<OwnedTokenCheck> } {
  return {
    async check(secret) {
      const result = await tokens.check(secret);
      if (!result.ok || result.token.ownerUserId === null) return result;
      const [user, projects] = await Promise.all([users.get(result.token.ownerUserId), members.rolesOf(result.token.ownerUserId)]);
      // The owner's row is gone (deleting a user deletes their tokens): as if the token were.
      if (!user) return { ok: false, reason: 'unknown' };
      return { ...result, owner: { id: user.id, email: user.email, role: user.role, projects, disabledAt: user.disabled_at } };
    },
  };
}
