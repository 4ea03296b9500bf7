import type { FastifyRequest } from 'fastify';
import { signIn, type SignInRequest, type SignInResult } from '@berth/shared/accounts/account-flows';
import type { AuditEntry } from '@berth/shared/accounts/audit-chain';
import { BerthError, isBerthError } from '@berth/shared/errors';
import { clientOrigin } from './client-origin.ts';
import type { LoginThrottle } from './login-throttle.ts';
import type { PeopleStores } from './people-stores.ts';

type Signed = Extract<SignInResult, { ok: true }>;

/**
 * One sign-in attempt, end to end: the rate limits, the account flow, and
 * one audit row whatever happened (the attempted email is its actor name;
 * an account's id when the password was right). Answers the session, or
 * throws the refusal the client sees.
 */
export async function attemptSignIn(
  request: FastifyRequest,
  input: Omit<SignInRequest, 'clientAddress'>,
  deps: { stores: PeopleStores; throttle: LoginThrottle },
): Promise<Signed> {
  const { address } = clientOrigin(request);
  const row = (result: AuditEntry['result'], detail: Record<string, unknown>, userId?: string): AuditEntry => ({
    actorKind: userId ? 'user' : 'anonymous',
    actorId: userId ?? null,
    actorName: input.email.slice(0, 254),
    action: 'auth.login',
    targetKind: userId ? 'user' : null,
    targetId: userId ?? null,
    clientAddress: address,
    result,
    detail,
  });
  try {
    await deps.throttle.take(input.email, address);
  } catch (err) {
    if (isBerthError(err) && err.code === 'RATE_LIMITED') await deps.stores.audit.append(row('denied', { reason: 'rate-limited' }));
    throw err;
  }
  const result = await signIn(deps.stores, { ...input, clientAddress: address });
  if (result.ok) {
    await deps.stores.audit.append(row('ok', { secondFactor: result.user.totp_enabled }, result.user.id));
    return result;
  }
  await deps.stores.audit.append(row('denied', { reason: result.reason }, result.userId));
  throw signInRefusal(result.reason);
}

function signInRefusal(reason: Extract<SignInResult, { ok: false }>['reason']): BerthError {
  switch (reason) {
    case 'invalid':
      return new BerthError('UNAUTHORIZED', 'wrong email or password');
    case 'disabled':
      return new BerthError('FORBIDDEN', 'this account is disabled: ask an owner');
    case 'second-factor-required':
      return new BerthError('SECOND_FACTOR_REQUIRED', 'this account has a second factor: send the code from your app as totp (or a recovery code as recoveryCode)');
    case 'second-factor-invalid':
      return new BerthError('SECOND_FACTOR_REQUIRED', 'that code is wrong or used already: send a current one');
  }
}
