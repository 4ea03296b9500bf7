import type { FastifyRequest } from 'fastify';
import { isDeployKeySecret, type DeployKeyStore } from '@berth/shared/accounts/deploy-key-store';
import type { MemberStore } from '@berth/shared/accounts/member-store';
import { deployKeyCaller, sessionCaller, tokenCaller, tokenState, type Caller } from '@berth/shared/accounts/principal';
import { sessionCookieName, type SessionStore } from '@berth/shared/accounts/session-store';
import { BerthError } from '@berth/shared/errors';
import { bearerProtocolPrefix } from '@berth/client/terminal-protocol';
import type { TokenCache } from '../token-cache.ts';
import { csrfRefusal } from './csrf.ts';
import type { OwnedTokenCheck } from './token-owners.ts';

/** What a request presents: a bearer secret (an API token or a deploy key), the session cookie, or nothing. */
export type Credential = { kind: 'none' } | { kind: 'bearer'; secret: string } | { kind: 'session'; secret: string };

/** A credential, checked: who it is, and the key its open event streams are counted and ended by. */
export interface Identified {
  caller: Caller;
  credentialKey: string;
  /** The signed-in person, or a personal token's owner. */
  person?: { id: string; email: string };
}

export interface CredentialSources {
  /** API tokens with their owners (TokenCache over ownedTokenChecks). */
  tokens: Pick<TokenCache<OwnedTokenCheck>, 'check'>;
  deployKeys: Pick<DeployKeyStore, 'check'>;
  sessions: Pick<SessionStore, 'check'>;
  members: Pick<MemberStore, 'rolesOf'>;
}

/**
 * The credential a request presents. `Authorization: Bearer` wins over the
 * cookie (a script that sends a token means the token); `?token=` only on
 * routes that take it (event streams: EventSource cannot set headers).
 */
export function presentedCredential(request: FastifyRequest): Credential {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new BerthError('UNAUTHORIZED', 'Authorization must be "Bearer <token>"');
    return { kind: 'bearer', secret: match[1]! };
  }
  const offered = request.routeOptions.config.protocolToken && !request.is404 ? protocolToken(request) : undefined;
  if (offered) return { kind: 'bearer', secret: offered };
  if (request.routeOptions.config.queryToken && !request.is404) {
    const token = (request.query as { token?: unknown } | undefined)?.token;
    if (typeof token === 'string' && token) return { kind: 'bearer', secret: token };
  }
  const cookie = sessionCookie(request.headers.cookie);
  return cookie ? { kind: 'session', secret: cookie } : { kind: 'none' };
}

/** A token offered as the WebSocket subprotocol `berth.bearer.<token>` (a browser cannot set Authorization there). */
function protocolToken(request: FastifyRequest): string | undefined {
  const offered = String(request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  return offered.find((p) => p.startsWith(bearerProtocolPrefix))?.slice(bearerProtocolPrefix.length) || undefined;
}

/** The session cookie's value in a Cookie header (no cookie plugin: this is the one cookie the API reads). */
export function sessionCookie(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    // As sent, not percent-decoded: the secret is base64url, and a malformed escape must not throw.
    if (eq !== -1 && part.slice(0, eq).trim() === sessionCookieName) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/**
 * Who a credential is, or the refusal (401: unknown, expired, signed out;
 * 403: revoked, or its account disabled). Throws; the hook decides whether a
 * refusal matters (on a public route it does not: the caller is anonymous).
 */
export async function identify(request: FastifyRequest, credential: Exclude<Credential, { kind: 'none' }>, sources: CredentialSources): Promise<Identified> {
  if (credential.kind === 'session') return identifySession(request, credential.secret, sources);
  if (isDeployKeySecret(credential.secret)) {
    const result = await sources.deployKeys.check(credential.secret);
    if (!result.ok) throw refusal(result.reason, 'deploy key');
    return { caller: deployKeyCaller(result.key), credentialKey: result.key.id };
  }
  const result = await sources.tokens.check(credential.secret);
  if (!result.ok) throw refusal(result.reason, 'API token');
  const state = tokenState(result.token, result.owner);
  if (state !== 'ok') throw refusal(state, 'API token');
  const { owner } = result;
  return { caller: tokenCaller(result.token, owner), credentialKey: result.token.id, ...(owner ? { person: { id: owner.id, email: owner.email } } : {}) };
}

async function identifySession(request: FastifyRequest, secret: string, sources: CredentialSources): Promise<Identified> {
  const result = await sources.sessions.check(secret);
  if (!result.ok) {
    throw new BerthError('UNAUTHORIZED', result.reason === 'unknown' ? 'not signed in: sign in again' : `your session has ${result.reason === 'expired' ? 'expired' : 'ended'}: sign in again`);
  }
  const csrf = csrfRefusal(request, secret);
  if (csrf) throw new BerthError('FORBIDDEN', csrf);
  const { user } = result;
  const projects = await sources.members.rolesOf(user.id);
  return { caller: sessionCaller({ id: user.id, email: user.email, role: user.role, projects }), credentialKey: `session:${result.session.idHash}`, person: { id: user.id, email: user.email } };
}

function refusal(reason: 'unknown' | 'revoked' | 'expired' | 'disabled', what: string): BerthError {
  switch (reason) {
    case 'unknown':
      return new BerthError('UNAUTHORIZED', `unknown ${what}`);
    case 'expired':
      return new BerthError('UNAUTHORIZED', `this ${what} has expired`);
    case 'revoked':
      return new BerthError('FORBIDDEN', `this ${what} has been revoked`);
    case 'disabled':
      return new BerthError('FORBIDDEN', `the account this ${what} belongs to is disabled`);
  }
}
