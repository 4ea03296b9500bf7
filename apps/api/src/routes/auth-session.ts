import { z } from '@berth/shared/config';
import { csrfTokenFor } from '@berth/shared/accounts/session-store';
import { BerthError } from '@berth/shared/errors';
import { auditEntry } from '../people/audit.ts';
import { clientOrigin } from '../people/client-origin.ts';
import type { LoginThrottle } from '../people/login-throttle.ts';
import type { PeopleStores } from '../people/people-stores.ts';
import { clearSessionCookie, sessionSecretOf, setSessionCookie } from '../people/session-cookie.ts';
import { userView, userViewSchema } from '../people/user-view.ts';
import { attemptSignIn } from '../people/sign-in.ts';
import { personOf } from '../people/person.ts';
import { bodyOf, zodBody } from '../zod-body.ts';
import type { ApiPlugin } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';

export interface AuthSessionRoutesOptions {
  stores: PeopleStores;
  throttle: LoginThrottle;
}

const loginSchema = z
  .object({
    email: z.string().min(1).max(254),
    password: z.string().min(1).max(1024),
    totp: z.string().regex(/^\d{6}$/, 'six digits').optional().describe("the authenticator app's current code, when the account has TOTP on"),
    recoveryCode: z.string().min(1).max(64).optional().describe('or one of the recovery codes (each works once)'),
  })
  .strict();
export const loginBody = zodBody(loginSchema);

const sessionAnswerSchema = {
  type: 'object',
  properties: {
    user: userViewSchema,
    csrfToken: { type: 'string', description: 'send as the x-berth-csrf header on every request that changes something' },
    expiresAt: { type: 'string', description: 'the latest the session can last (it ends sooner when idle)' },
  },
  required: ['user', 'csrfToken'],
  additionalProperties: false,
} as const;

const meSchema = {
  type: 'object',
  properties: {
    user: { ...userViewSchema, type: ['object', 'null'], description: 'the signed-in person, or the personal token’s owner; null for an instance token or deploy key' },
    actor: {
      type: 'object',
      properties: { kind: { type: 'string' }, id: { type: ['string', 'null'] }, name: { type: ['string', 'null'] } },
      required: ['kind', 'id', 'name'],
      additionalProperties: false,
    },
    projects: { type: 'object', additionalProperties: { type: 'string' }, description: 'project → role, for a person' },
    csrfToken: { type: 'string', description: 'a session’s CSRF token (a reloaded page gets it here)' },
  },
  required: ['user', 'actor', 'projects'],
  additionalProperties: false,
} as const;

const noBody = { type: 'null', description: 'no body' } as const;

/** Signing in and out with email and password (the dashboard), and who the caller is. */
export const authSessionRoutes: ApiPlugin<AuthSessionRoutesOptions> = async (app, { stores, throttle }) => {
  app.post(
    '/api/auth/login',
    { config: { action: 'public' }, schema: { body: loginBody, response: { 200: sessionAnswerSchema, ...errorResponses } } },
    async (request, reply) => {
      const body = bodyOf(loginSchema, request);
      const { user, secret, csrfToken, session } = await attemptSignIn(request, body, { stores, throttle });
      setSessionCookie(reply, secret, { expiresAt: session.expiresAt, secure: clientOrigin(request).https });
      return { user: userView(user), csrfToken, expiresAt: session.expiresAt.toISOString() };
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { action: 'account.read' }, schema: { response: { 204: noBody, ...errorResponses } } },
    async (request, reply) => {
      const secret = sessionSecretOf(request);
      if (!secret || request.caller.principal.kind !== 'user') throw new BerthError('VALIDATION_FAILED', 'only a signed-in session signs out (revoke a token with DELETE /api/tokens/:id)');
      await stores.sessions.revoke(secret);
      // Its event streams and terminals end too, on every API process (as a revoked token's).
      await request.server.access.forgetToken(request.credentialKey!);
      await stores.audit.append(auditEntry(request, { action: 'auth.logout', targetKind: 'user', targetId: request.caller.actor.id ?? undefined }));
      clearSessionCookie(reply, clientOrigin(request).https);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    { config: { action: 'account.read' }, schema: { response: { 200: meSchema, ...errorResponses } } },
    async (request) => {
      const caller = request.caller;
      const userId = personOf(request);
      const user = userId ? await stores.users.get(userId) : undefined;
      const projects = user ? Object.fromEntries(await stores.members.rolesOf(user.id)) : {};
      const secret = caller.principal.kind === 'user' ? sessionSecretOf(request) : undefined;
      return { user: user ? userView(user) : null, actor: caller.actor, projects, ...(secret ? { csrfToken: csrfTokenFor(secret) } : {}) };
    },
  );
};
