import { z } from '@berth/shared/config';
import { BerthError } from '@berth/shared/errors';
import { tokenScopes } from '@berth/shared/token-scope';
import type { TokenInfo, TokenStore } from '@berth/shared/token-store';
import { grantRefusal } from '@berth/shared/accounts/principal';
import type { ApiPlugin } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';
import { bodyOf, zodBody } from '../zod-body.ts';

const tokenProperties = {
  id: { type: 'string' },
  name: { type: 'string' },
  scope: { type: 'string', enum: tokenScopes },
  createdAt: { type: 'string' },
  revokedAt: { type: ['string', 'null'] },
} as const;
const tokenRequired = ['id', 'name', 'scope', 'createdAt', 'revokedAt'] as const;

/** A token as the API shows it: never its secret. */
const tokenViewSchema = {
  type: 'object',
  properties: tokenProperties,
  required: tokenRequired,
  additionalProperties: false,
} as const;

/** A token just made: the only time its secret is shown. */
const createdTokenSchema = {
  type: 'object',
  properties: { ...tokenProperties, token: { type: 'string', description: 'the secret; shown only here' } },
  required: [...tokenRequired, 'token'],
  additionalProperties: false,
} as const;

const tokenListSchema = {
  type: 'object',
  properties: { items: { type: 'array', items: tokenViewSchema } },
  required: ['items'],
  additionalProperties: false,
} as const;

const createTokenSchema = z.object({ name: z.string().min(1).max(100), scope: z.enum(tokenScopes) }).strict();
export const createTokenBody = zodBody(createTokenSchema);

const view = (t: TokenInfo) => ({
  id: t.id,
  name: t.name,
  scope: t.scope,
  createdAt: t.createdAt.toISOString(),
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

/** Instance tokens (and, for owners, everyone's). */
const admin = { action: 'tokens.all.manage' } as const;

export interface TokenRoutesOptions {
  tokens: Pick<TokenStore, 'list' | 'create' | 'revoke'>;
  /** Ends the revoked token's open event streams in this process at once (other API processes notice on their next periodic check). */
  onRevoked: (tokenId: string) => void;
}

/** Token management is for admin tokens only. */
export const tokenRoutes: ApiPlugin<TokenRoutesOptions> = async (app, { tokens, onRevoked }) => {
  app.get(
    '/api/tokens',
    { config: admin, schema: { response: { 200: tokenListSchema, ...errorResponses } } },
    async () => ({ items: (await tokens.list()).map(view) }),
  );

  app.post(
    '/api/tokens',
    { config: admin, schema: { body: createTokenBody, response: { 201: createdTokenSchema, ...errorResponses } } },
    async (request, reply) => {
      const { name, scope } = bodyOf(createTokenSchema, request);
      const refused = grantRefusal(request.caller.principal, { scope });
      if (refused) throw new BerthError(refused.decision === 'hidden' ? 'NOT_FOUND' : 'FORBIDDEN', refused.message);
      const { token, info } = await tokens.create(name, scope);
      // The only time the secret is shown.
      return reply.status(201).send({ ...view(info), token });
    },
  );

  app.delete(
    '/api/tokens/:id',
    {
      config: admin,
      schema: {
        params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        response: { 200: tokenViewSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      const info = await tokens.revoke(id);
      if (!info) throw new BerthError('NOT_FOUND', `token ${id} does not exist`);
      onRevoked(id);
      return view(info);
    },
  );
};
