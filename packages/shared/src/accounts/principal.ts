import { scopeAllows, type TokenScope } from '../token-scope.ts';
import { may, visibleProjects, type Principal } from './policy.ts';
import type { AuditActorKind, InstanceRole, ProjectRole } from './tables.ts';

/**
 * From a checked credential to the caller a route sees: the Principal the
 * policy decides on, and the actor the audit log names. The auth hook builds
 * one per request; these functions are the only places that decide which
 * kind of principal a credential is.
 */
export interface Caller {
  principal: Principal;
  actor: { kind: AuditActorKind; id: string | null; name: string | null };
  /** When the credential stops working, if it does: a token it makes may not outlive it. */
  expiresAt?: Date;
}

export const anonymousCaller: Caller = { principal: { kind: 'anonymous' }, actor: { kind: 'anonymous', id: null, name: null } };

/** A person: their instance role and their role in each project (MemberStore.rolesOf). */
export interface Person {
  id: string;
  email: string;
  role: InstanceRole;
  projects: ReadonlyMap<string, ProjectRole>;
}

/** The api_tokens fields that decide what a token is. */
export interface TokenFacts {
  id: string;
  name: string;
  scope: TokenScope;
  /** Null: an instance token (or BERTH_ADMIN_TOKEN), owner-level within its scope. */
  ownerUserId: string | null;
  projects: readonly string[] | null;
  expiresAt?: Date | null;
}

export function sessionCaller(person: Person): Caller {
  return {
    principal: { kind: 'user', role: person.role, projects: person.projects },
    actor: { kind: 'user', id: person.id, name: person.email },
  };
}

/** A token's caller; a personal token needs its owner (`owner`), whose rights it never exceeds. */
export function tokenCaller(token: TokenFacts, owner?: Person): Caller {
  const actor = { kind: 'token' as const, id: token.id, name: token.name };
  const expiry = token.expiresAt ? { expiresAt: token.expiresAt } : {};
  if (token.ownerUserId === null) return { principal: { kind: 'owner-token', scope: token.scope }, actor, ...expiry };
  if (!owner || owner.id !== token.ownerUserId) throw new Error(`token ${token.id} needs its owner ${token.ownerUserId}`);
  return {
    principal: { kind: 'personal-token', role: owner.role, projects: owner.projects, scope: token.scope, limit: token.projects },
    actor,
    ...expiry,
  };
}

export function deployKeyCaller(key: { id: string; name: string; project: string }): Caller {
  return { principal: { kind: 'deploy-key', project: key.project }, actor: { kind: 'deploy-key', id: key.id, name: key.name } };
}

/** Whether a token (or its owner) can still be used. */
export type TokenState = 'ok' | 'revoked' | 'expired' | 'disabled';

export function tokenState(
  token: { revokedAt: Date | null; expiresAt: Date | null },
  owner: { disabledAt: Date | null } | undefined,
  now: Date = new Date(),
): TokenState {
  if (token.revokedAt) return 'revoked';
  if (owner?.disabledAt) return 'disabled';
  if (token.expiresAt && token.expiresAt <= now) return 'expired';
  return 'ok';
}

export type GrantRefusal = { decision: 'hidden' | 'forbidden'; message: string };

/**
 * Why `creator` may not make a personal token with this scope, project list
 * and expiry, or undefined when it may. A token never hands out more than it
 * holds (scope) nor outlives itself (a creator that expires makes tokens
 * that expire no later); a listed project the creator cannot see is refused as hidden (the
 * route answers 404, as for any project it cannot see). A project-limited
 * token makes no tokens at all (the policy's tokens.* rows).
 */
export function grantRefusal(
  { principal: creator, expiresAt: creatorExpiry }: Pick<Caller, 'principal' | 'expiresAt'>,
  wanted: { scope: TokenScope; projects?: readonly string[] | null; expiresAt?: Date | null },
): GrantRefusal | undefined {
  if (may(creator, 'tokens.own.manage') !== 'allow' && may(creator, 'tokens.all.manage') !== 'allow') {
    return { decision: 'forbidden', message: 'this caller may not create tokens' };
  }
  const held = creator.kind === 'owner-token' || creator.kind === 'personal-token' ? creator.scope : 'admin';
  if (!scopeAllows(held, wanted.scope)) {
    return { decision: 'forbidden', message: `a token of scope "${held}" cannot create a "${wanted.scope}" token` };
  }
  if (creatorExpiry && (!wanted.expiresAt || wanted.expiresAt > creatorExpiry)) {
    return { decision: 'forbidden', message: `this token expires at ${creatorExpiry.toISOString()}: a token it makes needs an expiresAt no later than that` };
  }
  const visible = visibleProjects(creator);
  for (const project of wanted.projects ?? []) {
    if (visible !== 'all' && !visible.has(project)) return { decision: 'hidden', message: `project ${project} does not exist` };
  }
  return undefined;
}
