import type { FastifyRequest } from 'fastify';
import type { Action, Decision } from '@berth/shared/accounts/policy';
import { may } from '@berth/shared/accounts/policy';
import { anonymousCaller, type Caller } from '@berth/shared/accounts/principal';
import { BerthError } from '@berth/shared/errors';

// TEMPORARY until h-access's "Access contract:" commit is merged: then this file re-exports its names.
declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
  interface FastifyContextConfig {
    action?: Action | 'public';
    project?: 'param' | 'deployment' | 'list' | 'handler';
  }
}

export function callerOf(request: FastifyRequest): Caller {
  return request.caller ?? anonymousCaller;
}

export function refusalFor(decision: Exclude<Decision, 'allow'>, what: string): BerthError {
  if (decision === 'unauthenticated') return new BerthError('UNAUTHORIZED', 'sign in, or send an API token');
  if (decision === 'hidden') return new BerthError('NOT_FOUND', `${what} does not exist`);
  return new BerthError('FORBIDDEN', `you may not do this (${what})`);
}

export function assertMay(request: FastifyRequest, action: Action, project?: string): void {
  const decision = may(callerOf(request).principal, action, project);
  if (decision !== 'allow') throw refusalFor(decision, project ? `project ${project}` : action);
}
