import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BerthError } from '@berth/shared/errors';
import type { TokenInfo, TokenStore } from '@berth/shared/token-store';

declare module 'fastify' {
  interface FastifyRequest {
    token?: TokenInfo;
  }
}

function presented(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new BerthError('UNAUTHORIZED', 'Authorization must be "Bearer <token>"');
    return match[1];
  }
  // EventSource cannot set headers: event streams also take ?token=.
  if (request.method === 'GET' && /\/events$/.test(request.routeOptions.url ?? '')) {
    return (request.query as { token?: string }).token;
  }
  return undefined;
}

/** Every /api route needs a valid, unrevoked token; /healthz and /readyz stay open. */
export function installAuth(app: FastifyInstance, tokens: TokenStore): void {
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const secret = presented(request);
    if (!secret) throw new BerthError('UNAUTHORIZED', 'this endpoint needs an API token: Authorization: Bearer <token>');
    const result = await tokens.check(secret);
    if (!result.ok) {
      throw result.reason === 'revoked'
        ? new BerthError('FORBIDDEN', 'this API token has been revoked')
        : new BerthError('UNAUTHORIZED', 'unknown API token');
    }
    request.token = result.token;
  });
}
