import { z } from '@berth/shared/config';
import { createUserWithLink, issueResetLink } from '@berth/shared/accounts/account-flows';
import type { UserInfo } from '@berth/shared/accounts/user-store';
import { auditEntry } from '../people/audit.ts';
import type { PeopleStores } from '../people/people-stores.ts';
import { linkAnswer } from '../people/setup-link-url.ts';
import { setupLinkSchema, userView, userViewSchema } from '../people/user-view.ts';
import type { Urls } from '../deployment-view.ts';
import { bodyOf, zodBody } from '../zod-body.ts';
import type { ApiPlugin } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';

export interface UserRoutesOptions {
  stores: PeopleStores;
  config: Urls;
  /** A disabled account's tokens: dropped from every API process's cache at once. */
  onTokensRevoked: (tokenIds: readonly string[]) => Promise<void>;
}

const role = z.enum(['owner', 'member']);
const inviteSchema = z.object({ email: z.string().min(1).max(254), role: role.default('member') }).strict();
export const inviteBody = zodBody(inviteSchema);
const changeSchema = z
  .object({ role: role.optional(), disabled: z.boolean().optional().describe('true: sessions and tokens stop at once; false: may sign in again (old sessions and tokens stay revoked)') })
  .strict()
  .refine((b) => b.role !== undefined || b.disabled !== undefined, 'say role or disabled');
export const userChangeBody = zodBody(changeSchema);

const idParams = { type: 'object', properties: { id: { type: 'string', maxLength: 64 } }, required: ['id'] } as const;
const manage = { action: 'users.manage' } as const;
const invitedSchema = {
  type: 'object',
  properties: { user: userViewSchema, link: setupLinkSchema },
  required: ['user', 'link'],
  additionalProperties: false,
} as const;
const linkOnly = { type: 'object', properties: { link: setupLinkSchema }, required: ['link'], additionalProperties: false } as const;
const userAnswer = { type: 'object', properties: { user: userViewSchema }, required: ['user'], additionalProperties: false } as const;
const userList = { type: 'object', properties: { items: { type: 'array', items: userViewSchema } }, required: ['items'], additionalProperties: false } as const;

/** People, managed by owners: invitations (a one-time link in the answer, no mail), resets, roles, disabling. */
export const userRoutes: ApiPlugin<UserRoutesOptions> = async (app, { stores, config, onTokensRevoked }) => {
  app.get('/api/users', { config: { action: 'users.read' }, schema: { response: { 200: userList, ...errorResponses } } }, async () => ({
    items: (await stores.users.list()).map(userView),
  }));

  app.post('/api/users', { config: manage, schema: { body: inviteBody, response: { 201: invitedSchema, ...errorResponses } } }, async (request, reply) => {
    const body = bodyOf(inviteSchema, request);
    const { user, ...link } = await createUserWithLink(stores, { email: body.email, role: body.role, purpose: 'invite' });
    await stores.audit.append(auditEntry(request, { action: 'user.invite', targetKind: 'user', targetId: user.id, detail: { email: user.email, role: user.role } }));
    return reply.status(201).send({ user: userView(user), link: linkAnswer(config, link) });
  });

  app.post('/api/users/:id/reset', { config: manage, schema: { params: idParams, response: { 200: linkOnly, ...errorResponses } } }, async (request) => {
    const { id } = request.params;
    const link = await issueResetLink(stores, id);
    await stores.audit.append(auditEntry(request, { action: 'user.reset', targetKind: 'user', targetId: id }));
    return { link: linkAnswer(config, link) };
  });

  app.patch(
    '/api/users/:id',
    { config: manage, schema: { params: idParams, body: userChangeBody, response: { 200: userAnswer, ...errorResponses } } },
    async (request) => {
      const { id } = request.params;
      const body = bodyOf(changeSchema, request);
      let user: UserInfo | undefined;
      if (body.role !== undefined) user = await stores.users.setRole(id, body.role);
      if (body.disabled === true) user = await disable(stores, id, onTokensRevoked);
      if (body.disabled === false) user = await stores.users.enable(id);
      // Their personal tokens carry their role in the access cache: read them again.
      await app.access.forgetOwner(id);
      await stores.audit.append(auditEntry(request, { action: 'user.update', targetKind: 'user', targetId: id, detail: { ...body } }));
      return { user: userView(user!) };
    },
  );
};

/** Disables the account (its sessions and tokens revoked in one transaction), then drops its tokens from the caches. */
async function disable(stores: PeopleStores, id: string, onTokensRevoked: (ids: readonly string[]) => Promise<void>): Promise<UserInfo> {
  const user = await stores.users.disable(id);
  // After the commit, every one of them (a token made a moment before is revoked too): forgetting is harmless.
  await onTokensRevoked((await stores.tokens.list()).filter((t) => t.ownerUserId === id).map((t) => t.id));
  return user;
}
