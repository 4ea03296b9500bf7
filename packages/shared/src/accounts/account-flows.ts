import { BerthError } from '../errors.ts';
import { passwordProblem } from './password.ts';
import type { SecondFactorStore } from './second-factor-store.ts';
import type { SessionInfo, SessionStore } from './session-store.ts';
import type { SetupLinkStore } from './setup-link-store.ts';
import type { InstanceRole, SetupLinkPurpose, UserRow } from './tables.ts';
import type { UserInfo, UserStore } from './user-store.ts';

/**
 * The account steps that take more than one store: inviting (and the
 * operator's first owner), setting a password through a one-time link, and
 * signing in. Rate limiting and cookies are the API's; these decide.
 */
export interface AccountStores {
  users: UserStore;
  links: SetupLinkStore;
  sessions: SessionStore;
  factors: SecondFactorStore;
}

/**
 * A new user and the one-time link that lets them set a password: an
 * owner's invitation (`invite`), or the operator's `users create --owner`
 * (`set-password`). The API or CLI turns the token into a URL.
 */
export async function createUserWithLink(
  stores: Pick<AccountStores, 'users' | 'links'>,
  input: { email: string; role: InstanceRole; purpose: Extract<SetupLinkPurpose, 'invite' | 'set-password'> },
): Promise<{ user: UserInfo; token: string; expiresAt: Date }> {
  const user = await stores.users.create({ email: input.email, role: input.role });
  return { user, ...(await stores.links.issue(user.id, input.purpose)) };
}

/** An owner's reset of someone's password: a new one-time link; the old password works until the link is used. */
export async function issueResetLink(
  stores: Pick<AccountStores, 'users' | 'links'>,
  userId: string,
): Promise<{ token: string; expiresAt: Date }> {
  const user = await stores.users.get(userId);
  if (!user) throw new BerthError('NOT_FOUND', `user ${userId} does not exist`);
  return stores.links.issue(userId, 'reset');
}

/**
 * Sets the password a one-time link was issued for. The password is checked
 * before the link is spent; then every session of the user ends (a reset
 * must lock out whoever had the old password). A disabled account's link
 * does nothing.
 */
export async function setPasswordWithLink(
  stores: Pick<AccountStores, 'users' | 'links' | 'sessions'>,
  token: string,
  password: string,
): Promise<UserRow> {
  const problem = passwordProblem(password);
  if (problem) throw new BerthError('VALIDATION_FAILED', problem);
  const peeked = await stores.links.peek(token);
  if (!peeked.ok) throw linkRefusal(peeked.reason);
  const user = await stores.users.get(peeked.userId);
  if (!user || user.disabled_at) throw linkRefusal('unknown');
  const redeemed = await stores.links.redeem(token);
  if (!redeemed.ok) throw linkRefusal(redeemed.reason);
  await stores.users.setPassword(user.id, password);
  await stores.sessions.revokeAllOf(user.id);
  return (await stores.users.get(user.id))!;
}

function linkRefusal(reason: 'unknown' | 'used' | 'expired'): BerthError {
  const why = { unknown: 'is not valid', used: 'has been used already', expired: 'has expired' }[reason];
  return new BerthError(reason === 'unknown' ? 'NOT_FOUND' : 'CONFLICT', `this link ${why}: ask an owner for a new one`);
}

export interface SignInRequest {
  email: string;
  password: string;
  /** The authenticator's code, when the account has TOTP on. */
  totp?: string;
  /** Or one of the account's recovery codes. */
  recoveryCode?: string;
  clientAddress?: string;
}

export type SignInResult =
  | { ok: true; user: UserRow; secret: string; csrfToken: string; session: SessionInfo }
  | { ok: false; reason: 'invalid' | 'disabled' | 'second-factor-required' | 'second-factor-invalid'; userId?: string };

/**
 * Email and password (and the second factor, if the account has one) → a
 * new session. Every failure before the password is known to be right takes
 * one full password verify (UserStore.authenticate), so its timing does not
 * tell which emails exist. `userId` is set on failures the audit log should
 * attribute to an account (a wrong second factor, a disabled account).
 */
export async function signIn(stores: AccountStores, request: SignInRequest): Promise<SignInResult> {
  const auth = await stores.users.authenticate(request.email, request.password);
  if (!auth.ok) {
    if (auth.reason === 'disabled') {
      const user = await stores.users.findByEmail(request.email);
      return { ok: false, reason: 'disabled', ...(user ? { userId: user.id } : {}) };
    }
    return { ok: false, reason: 'invalid' };
  }
  const { user } = auth;
  if (user.totp_enabled) {
    if (!request.totp && !request.recoveryCode) return { ok: false, reason: 'second-factor-required', userId: user.id };
    const passed = request.totp
      ? await stores.factors.acceptCode(user.id, request.totp)
      : await stores.factors.useRecoveryCode(user.id, request.recoveryCode!);
    if (!passed) return { ok: false, reason: 'second-factor-invalid', userId: user.id };
  }
  const created = await stores.sessions.create(user.id, request.clientAddress ? { clientAddress: request.clientAddress } : {});
  return { ok: true, user, ...created };
}
