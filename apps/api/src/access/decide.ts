import type { FastifyRequest } from 'fastify';
import { effectiveRole, may, policy, projectActions, type Action, type Decision, type Principal } from '@berth/shared/accounts/policy';
import type { ProjectRole } from '@berth/shared/accounts/tables';
import { BerthError } from '@berth/shared/errors';

/** The answer to a project (or deployment) the caller may not see: exactly the answer to one that does not exist. */
export function missingProject(name: string): BerthError {
  return new BerthError('NOT_FOUND', `project ${name} does not exist`);
}

export function missingDeployment(id: string): BerthError {
  return new BerthError('NOT_FOUND', `deployment ${id} does not exist`);
}

/** The answer to a request that needs a caller and presents no credential. */
export function notSignedIn(): BerthError {
  return new BerthError('UNAUTHORIZED', 'this endpoint needs a signed-in session or an API token: Authorization: Bearer <token>');
}

/** What an action needs, in words (the 403's message). */
export function describeNeed(action: Action): string {
  const rule = policy[action];
  if (rule.on === 'project') {
    const key = 'deployKey' in rule && rule.deployKey ? ' or its deploy key' : '';
    return `the ${rule.role} role in the project${key} (a token: scope ${rule.scope} or more)`;
  }
  if ('sessionOnly' in rule && rule.sessionOnly) return 'a signed-in person (not a token)';
  return `${rule.members ? 'an instance member' : 'an instance owner'} (a token: scope ${rule.scope} or more)`;
}

/**
 * A decision as the HTTP answer: nothing when allowed; 401 when nobody is
 * signed in; 404, as if it did not exist, when the caller may not see the
 * project (`hidden`, default: "project <name> does not exist"); 403 when it
 * sees it but may not do this.
 */
export function refusalFor(decision: Decision, action: Action, hidden?: BerthError): BerthError | undefined {
  switch (decision) {
    case 'allow':
      return undefined;
    case 'unauthenticated':
      return notSignedIn();
    case 'hidden':
      return hidden ?? new BerthError('NOT_FOUND', 'not found');
    case 'forbidden':
      return new BerthError('FORBIDDEN', `${action} needs ${describeNeed(action)}`);
  }
}

/** May `principal` do `action` (on `project`)? Throws the refusal when not (see refusalFor). */
export function assertPrincipalMay(principal: Principal, action: Action, project?: string, hidden?: BerthError): void {
  const refused = refusalFor(may(principal, action, project), action, hidden ?? (project === undefined ? undefined : missingProject(project)));
  if (refused) throw refused;
}

/**
 * For routes that decide inside the handler (`config.project: 'handler'`), and
 * for a second action a handler performs besides its route's: may the caller
 * do `action` (on `project`)? Throws 401/404/403 when not. `hidden` is the
 * answer when the caller may not see the project (default: the missing-project 404).
 */
export function assertMay(request: FastifyRequest, action: Action, project?: string, hidden?: BerthError): void {
  assertPrincipalMay(request.caller.principal, action, project, hidden);
}

/** May the caller do `action` on `project`? (for views that show more to some callers: secrets) */
export function callerMay(request: FastifyRequest, action: Action, project?: string): boolean {
  return may(request.caller.principal, action, project) === 'allow';
}

/**
 * What the caller may do in `project`, for a client to offer only that (the
 * dashboard shows "you cannot do this here" instead of a button that would be
 * refused): its role there (owners and instance tokens act as admin; null for
 * a deploy key) and every project action the policy allows it, token scope included.
 */
export function callerAccess(request: FastifyRequest, project: string): { role: ProjectRole | null; actions: Action[] } {
  const { principal } = request.caller;
  return { role: effectiveRole(principal, project) ?? null, actions: projectActions.filter((a) => may(principal, a, project) === 'allow') };
}

/**
 * Whose deploy budget (DEPLOY_RATE_LIMIT) a request spends: a person's, shared
 * by all their sessions and personal tokens (signing in again buys no more);
 * else the instance token's or deploy key's own.
 */
export function rateKey(request: FastifyRequest): string {
  return request.person ? `user:${request.person.id}` : request.credentialKey!;
}
