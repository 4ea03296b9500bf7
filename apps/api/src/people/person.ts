import type { FastifyRequest } from 'fastify';
import { BerthError } from '@berth/shared/errors';

/** The person behind the caller (a session's user, a personal token's owner), as the access hook found them. */
export function personOf(request: FastifyRequest): string | undefined {
  return request.person?.id;
}

/** The signed-in person (a session only: one's own password and second factor are not a token's to change). */
export function sessionUserId(request: FastifyRequest): string {
  const { principal, actor } = request.caller;
  if (principal.kind !== 'user' || !actor.id) throw new BerthError('FORBIDDEN', 'only a signed-in person changes their own password or second factor');
  return actor.id;
}
