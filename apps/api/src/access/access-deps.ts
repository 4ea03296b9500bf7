import { DeployKeyStore } from '@berth/shared/accounts/deploy-key-store';
import { MemberStore } from '@berth/shared/accounts/member-store';
import { SessionStore, type SessionTimes } from '@berth/shared/accounts/session-store';
import { UserStore } from '@berth/shared/accounts/user-store';
import type { Db } from '@berth/shared/db';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import type { TokenStore } from '@berth/shared/token-store';
import type { AccessDeps } from '../auth.ts';
import { TokenCache } from '../token-cache.ts';
import { DeploymentProjects } from './deployment-projects.ts';
import type { StrangerThrottle } from './stranger-throttle.ts';
import { ownedTokenChecks, type OwnedTokenCheck } from './token-owners.ts';

/**
 * What the access hook reads, from the database: verified tokens (with their
 * owners' rights) kept up to `recheckMs` (TOKEN_RECHECK_MS), deploy keys,
 * sessions, memberships, and which project a deployment belongs to.
 */
export function accessDeps(
  deps: { db: Db; tokens: Pick<TokenStore, 'check'>; store: Pick<DeploymentStore, 'get'>; strangers?: StrangerThrottle; sessionTimes: SessionTimes },
  recheckMs: number,
): AccessDeps & { tokens: TokenCache<OwnedTokenCheck> } {
  const members = new MemberStore(deps.db);
  return {
    tokens: new TokenCache(ownedTokenChecks(deps.tokens, new UserStore(deps.db), members), recheckMs),
    deployKeys: new DeployKeyStore(deps.db),
    sessions: new SessionStore(deps.db, deps.sessionTimes),
    members,
    deploymentProjects: new DeploymentProjects(deps.store),
    ...(deps.strangers ? { strangers: deps.strangers } : {}),
  };
}
