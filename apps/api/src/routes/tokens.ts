import type { FastifyInstance } from 'fastify';
import { BerthError } from '@berth/shared/errors';
import type { TokenInfo, TokenStore } from '@berth/shared/token-store';

const view = (t: TokenInfo) => ({
  id: t.id,
  name: t.name,
  createdAt: t.createdAt.toISOString(),
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

export function tokenRoutes(app: FastifyInstance, tokens: TokenStore): void {
  app.get('/api/tokens', async () => ({ items: (await tokens.list()).map(view) }));

  app.post(
    '/api/tokens',
    {
      schema: {
        body: {
          type: 'object',
          properties: { name: { type: 'string', minLength: 1, maxLength: 100 } },
          required: ['name'],
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const { name } = request.body as { name: string };
      const { token, info } = await tokens.create(name);
      // The only time the secret is shown.
      return reply.status(201).send({ ...view(info), token });
    },
  );

  app.delete('/api/tokens/:id', async (request) => {
    const { id } = request.params as { id: string };
    const info = await tokens.revoke(id);
    if (!info) throw new BerthError('NOT_FOUND', `token ${id} does not exist`);
    return view(info);
  });
}
