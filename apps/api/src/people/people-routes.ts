import type { AppDeps } from '../app.ts';
import type { ApiPlugin } from '../routes/api-plugin.ts';
import { auditRoutes } from '../routes/audit.ts';
import { authAccountRoutes } from '../routes/auth-account.ts';
import { authSessionRoutes } from '../routes/auth-session.ts';
import { deployKeyRoutes } from '../routes/deploy-keys.ts';
import { memberRoutes } from '../routes/members.ts';
import { tokenRoutes } from '../routes/tokens.ts';
import { userRoutes } from '../routes/users.ts';
import { AuditLog } from '@berth/shared/accounts/audit-log';
import { sessionTimesOf } from '@berth/shared/accounts/session-store';
import { LoginThrottle } from './login-throttle.ts';
import { peopleStores } from './people-stores.ts';

export interface PeopleRoutesOptions {
  deps: AppDeps;
  /**
   * A credential (API token or deploy key) was revoked: forget it in this
   * process's cache, end its event streams, and tell the other API processes.
   */
  onRevoked: (credentialId: string) => Promise<void>;
}

/** The routes of people: sign-in, accounts, users, members, deploy keys, tokens, the audit log. */
export const peopleRoutes: ApiPlugin<PeopleRoutesOptions> = async (app, { deps, onRevoked }) => {
  const stores = peopleStores(deps.db, {
    tokens: deps.tokens,
    sealer: deps.secrets,
    sessionTimes: sessionTimesOf(deps.config),
    audit: AuditLog.keyedBy(deps.db, deps.secrets),
  });
  const throttle = new LoginThrottle(deps.redis, deps.config, deps.logger);
  const { projects, config } = deps;
  await app.register(authSessionRoutes, { stores, throttle });
  await app.register(authAccountRoutes, { stores, throttle });
  await app.register(userRoutes, { stores, config, onTokensRevoked: async (ids) => void (await Promise.all(ids.map(onRevoked))) });
  await app.register(memberRoutes, { stores, projects });
  await app.register(deployKeyRoutes, { stores, projects, onRevoked });
  await app.register(tokenRoutes, { stores, projects, onRevoked });
  await app.register(auditRoutes, { audit: stores.audit });
};
