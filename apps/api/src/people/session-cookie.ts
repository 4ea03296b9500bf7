import type { FastifyReply, FastifyRequest } from 'fastify';
import { sessionCookieName } from '@berth/shared/accounts/session-store';
import { sessionCookie } from '../access/credentials.ts';

/**
 * The `berth_session` cookie: httpOnly (no page script reads it), SameSite=Lax
 * (a cross-site form post does not carry it), Path=/ (the dashboard and the
 * API share the origin), Secure when the client came over HTTPS. It lives
 * until the session's absolute expiry; the server ends it earlier when idle.
 */
export function setSessionCookie(reply: FastifyReply, secret: string, opts: { expiresAt: Date; secure: boolean }): void {
  const maxAge = Math.max(0, Math.floor((opts.expiresAt.getTime() - Date.now()) / 1000));
  reply.header('set-cookie', cookieLine(secret, maxAge, opts.secure));
}

/** Tells the browser to forget the cookie (sign-out, a session that ended). */
export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.header('set-cookie', cookieLine('', 0, secure));
}

function cookieLine(value: string, maxAgeSeconds: number, secure: boolean): string {
  const parts = [`${sessionCookieName}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

/** The session secret the request's cookie carries, if any. */
export function sessionSecretOf(request: FastifyRequest): string | undefined {
  return sessionCookie(request.headers.cookie);
}
