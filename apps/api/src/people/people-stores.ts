import type { Db } from '@berth/shared/db';
import type { AuditLog } from '@berth/shared/accounts/audit-log';
import { DeployKeyStore } from '@berth/shared/accounts/deploy-key-store';
import { MemberStore } from '@berth/shared/accounts/member-store';
import { SecondFactorStore, type SecretSealer } from '@berth/shared/accounts/second-factor-store';
import { SessionStore, type SessionTimes } from '@berth/shared/accounts/session-store';
import { SetupLinkStore } from '@berth/shared/accounts/setup-link-store';
import { UserStore } from '@berth/shared/accounts/user-store';
import type { TokenStore } from '@berth/shared/token-store';

/** The stores the people routes use: accounts, sessions, members, deploy keys, personal tokens, the audit log. */
export interface PeopleStores {
  users: UserStore;
  links: SetupLinkStore;
  sessions: SessionStore;
  factors: SecondFactorStore;
  members: MemberStore;
  deployKeys: DeployKeyStore;
  tokens: TokenStore;
  audit: AuditLog;
}

export function peopleStores(db: Db, opts: { tokens: TokenStore; sealer: SecretSealer; sessionTimes: SessionTimes; audit: AuditLog }): PeopleStores {
  return {
    users: new UserStore(db),
    links: new SetupLinkStore(db),
    sessions: new SessionStore(db, opts.sessionTimes),
    factors: new SecondFactorStore(db, opts.sealer),
    members: new MemberStore(db),
    deployKeys: new DeployKeyStore(db),
    tokens: opts.tokens,
    audit: opts.audit,
  };
}
