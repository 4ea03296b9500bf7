import type { FastifyRequest } from 'fastify';
import type { MemberStore } from '@berth/shared/accounts/member-store';
import type { Principal } from '@berth/shared/accounts/policy';
import { callerMay } from './decide.ts';

/**
 * A new project's creator becomes its admin when the creator is a person (a
 * session, or a personal token: its owner). An instance token or the admin
 * token makes a project nobody is a member of (owners see every project).
 * The rest of this request acts with the new role (its answer may show what
 * an admin sees), and the person's remembered rights are dropped, so their
 * next request with a personal token (remembered up to TOKEN_RECHECK_MS) has it too.
 */
export async function makeCreatorAdmin(request: FastifyRequest, members: Pick<MemberStore, 'addFirstAdmin'>, project: string): Promise<void> {
  const person = request.person;
  if (!person || !(await members.addFirstAdmin(project, person.id))) return;
  await request.server.access.forgetOwner(person.id);
  request.caller = { ...request.caller, principal: withAdminOf(request.caller.principal, project) };
}

/**
 * After a deploy that made `project` (it did not exist when the request was
 * decided): its creator becomes admin, and whether the caller may keep the
 * deployment there. Not when someone else made the project in the same
 * moment (their row won, with their members and env): the deploy must not
 * run in a project the caller may not even see.
 */
export async function claimNewProject(request: FastifyRequest, members: Pick<MemberStore, 'addFirstAdmin'>, project: string): Promise<boolean> {
  await makeCreatorAdmin(request, members, project);
  return callerMay(request, 'deployment.create', project);
}

function withAdminOf(principal: Principal, project: string): Principal {
  if (principal.kind !== 'user' && principal.kind !== 'personal-token') return principal;
  return { ...principal, projects: new Map(principal.projects).set(project, 'admin') };
}
