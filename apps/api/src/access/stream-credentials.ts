import type { Db } from '@berth/shared/db';
import type { TokenStore } from '@berth/shared/token-store';

/**
 * Which credentials behind open event streams are still good: a stream
 * outlives the request that checked its credential, so the API asks this
 * every TOKEN_RECHECK_MS and ends the streams of the rest. Keys are
 * `request.credentialKey`: API token ids (`tok_…`: not revoked, not expired;
 * a disabled owner's tokens are revoked with the account), deploy key ids
 * (`dk_…`: not revoked) and `session:<id hash>` (not signed out, not expired,
 * its user not disabled).
 */
export function streamCredentialChecks(db: Db, tokens: Pick<TokenStore, 'stillValid'>): (keys: readonly string[]) => Promise<Set<string>> {
  return async (keys) => {
    const now = new Date();
    const of = (prefix: string) => keys.filter((k) => k.startsWith(prefix));
    const sessionHashes = of('session:').map((k) => k.slice('session:'.length));
    const [liveTokens, liveKeys, liveSessions] = await Promise.all([
      tokens.stillValid(of('tok_'), now),
      of('dk_').length === 0
        ? []
        : db.selectFrom('deploy_keys').select('id').where('id', 'in', of('dk_')).where('revoked_at', 'is', null).execute(),
      sessionHashes.length === 0
        ? []
        : db
            .selectFrom('sessions')
            .innerJoin('users', 'users.id', 'sessions.user_id')
            .select('sessions.id_hash')
            .where('sessions.id_hash', 'in', sessionHashes)
            .where('sessions.revoked_at', 'is', null)
            .where('sessions.expires_at', '>', now)
            .where('sessions.idle_expires_at', '>', now)
            .where('users.disabled_at', 'is', null)
            .execute(),
    ]);
    return new Set([...liveTokens, ...liveKeys.map((r) => r.id), ...liveSessions.map((r) => `session:${r.id_hash}`)]);
  };
}
