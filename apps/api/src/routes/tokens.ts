import type { FastifyPluginAsync } from 'fastify';
import { BerthError } from '@berth/shared/errors';
import { tokenScopes, type TokenScope } from '@berth/shared/token-scope';
import type { TokenInfo, TokenStore } from '@berth/shared/token-store';
import { assertMayGrant } from '../auth.ts';

const view = (t: TokenInfo) => ({
  id: t.id,
  name: t.name,
  scope: t.scope,
  createdAt: t.createdAt.toISOString(),
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

const admin = { access: 'admin' } as const;

export interface TokenRoutesOptions {
  tokens: Pick<TokenStore, 'list' | 'create' | 'revoke'>;
  /** Ends the revoked token's open event streams in this process at once (other API processes notice on their next periodic check). */
  onRevoked: (tokenId: string) => void;
}

/** Token management is for admin tokens only. */
export const tokenRoutes: FastifyPluginAsync<TokenRoutesOptions> = async (app, { tokens, onRevoked }) => {
  app.get('/api/tokens', { config: admin }, async () => ({ items: (await tokens.list()).map(view) }));

  app.post(
    '/api/tokens',
    {
      config: admin,
      schema: {
        body: {
          type: 'object',
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 100 },
            scope: { type: 'string', enum: [...tokenScopes] },
          },
          required: ['name', 'scope'],
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const { name, scope } = request.body as { name: string; scope: TokenScope };
      assertMayGrant(request.token, scope);
      const { token, info } = await tokens.create(name, scope);
      // The only time the secret is shown.
      return reply.status(201).send({ ...view(info), token });
    },
  );

  app.delete('/api/tokens/:id', { config: admin }, async (request) => {
    const { id } = request.params as { id: string };
    const info = await tokens.revoke(id);
    if (!info) throw new BerthError('NOT_FOUND', `token ${id} does not exist`);
    onRevoked(id);
    return view(info);
  });
};
