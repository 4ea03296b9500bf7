import { z } from '@berth/shared/config';
import type { Member } from '@berth/shared/accounts/member-store';
import { BerthError } from '@berth/shared/errors';
import type { ProjectStore } from '@berth/shared/project-store';
import { auditEntry } from '../people/audit.ts';
import type { PeopleStores } from '../people/people-stores.ts';
import { bodyOf, zodBody } from '../zod-body.ts';
import type { ApiPlugin } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';

export interface MemberRoutesOptions {
  stores: Pick<PeopleStores, 'members' | 'users' | 'audit'>;
  projects: Pick<ProjectStore, 'mustGet'>;
}

const projectRole = z.enum(['admin', 'deployer', 'viewer']);
const addSchema = z
  .object({
    email: z.string().min(1).max(254).optional().describe('who (an existing user: an owner invites people first)'),
    userId: z.string().min(1).max(64).optional().describe('or their id'),
    role: projectRole,
  })
  .strict()
  .refine((b) => (b.email === undefined) !== (b.userId === undefined), 'say email or userId (one of them)');
export const memberAddBody = zodBody(addSchema);
const roleSchema = z.object({ role: projectRole }).strict();
export const memberRoleBody = zodBody(roleSchema);

const nameParams = { type: 'object', properties: { name: { type: 'string', maxLength: 64 } }, required: ['name'] } as const;
const memberParams = {
  type: 'object',
  properties: { name: { type: 'string', maxLength: 64 }, userId: { type: 'string', maxLength: 64 } },
  required: ['name', 'userId'],
} as const;
const memberViewSchema = {
  type: 'object',
  properties: {
    userId: { type: 'string' },
    email: { type: 'string' },
    role: { type: 'string', enum: ['admin', 'deployer', 'viewer'] },
    createdAt: { type: 'string' },
  },
  required: ['userId', 'email', 'role', 'createdAt'],
  additionalProperties: false,
} as const;
const memberList = { type: 'object', properties: { items: { type: 'array', items: memberViewSchema } }, required: ['items'], additionalProperties: false } as const;
const noBody = { type: 'null', description: 'no body' } as const;

const read = { action: 'project.members.read', project: 'param' } as const;
const update = { action: 'project.members.update', project: 'param' } as const;

const view = (m: Member) => ({ userId: m.userId, email: m.email, role: m.role, createdAt: m.createdAt.toISOString() });

/** Who may do what in a project: admin, deployer, viewer (docs/security.md). A project keeps at least one admin. */
export const memberRoutes: ApiPlugin<MemberRoutesOptions> = async (app, { stores, projects }) => {
  const memberOf = async (project: string, userId: string) => {
    const found = (await stores.members.list(project)).find((m) => m.userId === userId);
    if (!found) throw new BerthError('NOT_FOUND', `that user is not a member of ${project}`);
    return found;
  };

  app.get('/api/projects/:name/members', { config: read, schema: { params: nameParams, response: { 200: memberList, ...errorResponses } } }, async (request) => {
    const { name } = await projects.mustGet(request.params.name);
    return { items: (await stores.members.list(name)).map(view) };
  });

  app.post(
    '/api/projects/:name/members',
    { config: update, schema: { params: nameParams, body: memberAddBody, response: { 201: memberViewSchema, ...errorResponses } } },
    async (request, reply) => {
      const { name } = request.params;
      const body = bodyOf(addSchema, request);
      const user = body.email !== undefined ? await stores.users.findByEmail(body.email) : await stores.users.get(body.userId!);
      if (!user) throw new BerthError('NOT_FOUND', 'no such user: an owner invites people first (POST /api/users)');
      await stores.members.add(name, user.id, body.role);
      // Their personal tokens carry their roles in the access cache: read them again.
      await app.access.forgetOwner(user.id);
      await stores.audit.append(auditEntry(request, { action: 'member.add', project: name, targetKind: 'user', targetId: user.id, detail: { email: user.email, role: body.role } }));
      return reply.status(201).send(view(await memberOf(name, user.id)));
    },
  );

  app.patch(
    '/api/projects/:name/members/:userId',
    { config: update, schema: { params: memberParams, body: memberRoleBody, response: { 200: memberViewSchema, ...errorResponses } } },
    async (request) => {
      const { name, userId } = request.params;
      const { role } = bodyOf(roleSchema, request);
      await stores.members.setRole(name, userId, role);
      await app.access.forgetOwner(userId);
      await stores.audit.append(auditEntry(request, { action: 'member.update', project: name, targetKind: 'user', targetId: userId, detail: { role } }));
      return view(await memberOf(name, userId));
    },
  );

  app.delete(
    '/api/projects/:name/members/:userId',
    { config: update, schema: { params: memberParams, response: { 204: noBody, ...errorResponses } } },
    async (request, reply) => {
      const { name, userId } = request.params;
      await stores.members.remove(name, userId);
      await app.access.forgetOwner(userId);
      await stores.audit.append(auditEntry(request, { action: 'member.remove', project: name, targetKind: 'user', targetId: userId }));
      return reply.status(204).send(null);
    },
  );
};
