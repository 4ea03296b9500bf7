import type { FastifyRequest } from 'fastify';
import { csrfMatches } from '@berth/shared/accounts/session-store';

/** The header a signed-in page sends its session's CSRF token in (GET /api/auth/me and the login answer hand it out). */
export const csrfHeader = 'x-berth-csrf';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Requests that cannot change state (and so need no CSRF defence). */
export function isSafeMethod(method: string): boolean {
  return safeMethods.has(method.toUpperCase());
}

/**
 * Why a request that carries the session cookie must not act as its user, or
 * undefined when it may. The defence against cross-site request forgery, in
 * two layers (docs/security.md):
 *
 * 1. Origin: a browser names the page that sent a request; when it names one,
 *    its host must be this API's Host. (SameSite=Lax already keeps the cookie
 *    off cross-site POSTs in current browsers; this does not rely on it.)
 * 2. A token: the `x-berth-csrf` header must hold the session's CSRF token,
 *    an HMAC of the cookie's secret (session-store.ts `csrfTokenFor`). Another
 *    site can make a browser send the cookie, but can neither read nor guess
 *    the token, nor set a custom header cross-origin without a CORS preflight
 *    (which this API never grants).
 *
 * Safe methods (GET, HEAD, OPTIONS) change nothing and need neither.
 */
export function csrfRefusal(request: FastifyRequest, sessionSecret: string): string | undefined {
  if (isSafeMethod(request.method)) return undefined;
  const origin = request.headers.origin;
  if (origin !== undefined && !sameHost(origin, request.headers.host)) {
    return `a signed-in request from another site (Origin ${origin}) is refused`;
  }
  const token = request.headers[csrfHeader];
  if (!csrfMatches(sessionSecret, typeof token === 'string' ? token : undefined)) {
    return `a signed-in request that changes something needs the session's CSRF token in the ${csrfHeader} header`;
  }
  return undefined;
}

/** Whether the page's origin names this host (default ports compare equal: http://h and Host h:80). */
export function sameHost(origin: string, host: string | undefined): boolean {
  try {
    const page = new URL(origin);
    return host !== undefined && page.host === new URL(`${page.protocol}//${host}`).host;
  } catch {
    return false;
  }
}
