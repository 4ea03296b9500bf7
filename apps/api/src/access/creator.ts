import type { FastifyRequest } from 'fastify';
import type { MemberStore } from '@berth/shared/accounts/member-store';

/**
 * A new project's creator becomes its admin when the creator is a person (a
 * session, or a personal token: its owner). An instance token or the admin
 * token makes a project nobody is a member of (owners see every project).
 * The person's remembered rights are dropped, so their next request (with a
 * personal token, which the API remembers up to TOKEN_RECHECK_MS) sees it.
 */
export async function makeCreatorAdmin(request: FastifyRequest, members: Pick<MemberStore, 'addFirstAdmin'>, project: string): Promise<void> {
  const person = request.person;
  if (!person) return;
  if (await members.addFirstAdmin(project, person.id)) request.server.access.forgetOwner(person.id);
}
