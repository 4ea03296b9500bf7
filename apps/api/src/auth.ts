import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BerthError } from '@berth/shared/errors';
import { isTokenScope, scopeAllows, type RouteAccess, type TokenScope } from '@berth/shared/token-scope';
import type { TokenInfo, TokenStore } from '@berth/shared/token-store';

declare module 'fastify' {
  interface FastifyRequest {
    token?: TokenInfo;
  }
  interface FastifyContextConfig {
    /** Who may call the route. Unset means `admin`: a route nobody thought about is closed. */
    access?: RouteAccess;
    /** EventSource cannot set headers: this route also takes the token as `?token=`. */
    queryToken?: boolean;
  }
  interface FastifyInstance {
    /** Every registered route with the access it needs (filled by onRoute; tests walk it). */
    routeAccess: RouteAccessEntry[];
  }
}

export interface RouteAccessEntry {
  method: string;
  url: string;
  access: RouteAccess;
}

function presented(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new BerthError('UNAUTHORIZED', 'Authorization must be "Bearer <token>"');
    return match[1];
  }
  if (request.routeOptions.config.queryToken && !request.is404) {
    const token = (request.query as { token?: unknown } | undefined)?.token;
    return typeof token === 'string' ? token : undefined;
  }
  return undefined;
}

/** What the matched route needs. Paths no route matched still need a token: their 404 is not for strangers. */
function needed(request: FastifyRequest): RouteAccess {
  if (request.is404) return 'read';
  return request.routeOptions.config.access ?? 'admin';
}

/**
 * Default-deny authentication, decided on the route the router matched (never
 * on the raw URL, whose spellings are endless): every route needs a token of
 * at least the scope in its `config.access`, admin when it says nothing, and
 * only routes that say `public` are open.
 */
export function installAuth(app: FastifyInstance, tokens: Pick<TokenStore, 'check'>): void {
  const table: RouteAccessEntry[] = [];
  app.decorate('routeAccess', table);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access ?? 'admin';
    if (access !== 'public' && !isTokenScope(access)) {
      throw new Error(`route ${route.url} declares unknown access "${String(access)}"`);
    }
    for (const method of [route.method].flat()) table.push({ method, url: route.url ?? route.path, access });
  });
  app.addHook('onRequest', async (request) => {
    const access = needed(request);
    if (access === 'public') return;
    const secret = presented(request);
    if (!secret) throw new BerthError('UNAUTHORIZED', 'this endpoint needs an API token: Authorization: Bearer <token>');
    const result = await tokens.check(secret);
    if (!result.ok) {
      throw result.reason === 'revoked'
        ? new BerthError('FORBIDDEN', 'this API token has been revoked')
        : new BerthError('UNAUTHORIZED', 'unknown API token');
    }
    if (!scopeAllows(result.token.scope, access)) {
      throw new BerthError('FORBIDDEN', `this API token has scope "${result.token.scope}"; this needs "${access}"`);
    }
    request.token = result.token;
  });
}

/** A token may only hand out what it holds itself. */
export function assertMayGrant(holder: TokenInfo | undefined, scope: TokenScope): void {
  if (!holder || !scopeAllows(holder.scope, scope)) {
    throw new BerthError('FORBIDDEN', `a token of scope "${holder?.scope ?? 'none'}" cannot create a "${scope}" token`);
  }
}
