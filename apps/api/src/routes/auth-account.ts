import { z } from '@berth/shared/config';
import { setPasswordWithLink } from '@berth/shared/accounts/account-flows';
import { passwordLength } from '@berth/shared/accounts/password';
import { otpauthUri, base32Encode } from '@berth/shared/accounts/totp';
import { BerthError } from '@berth/shared/errors';
import { auditEntry } from '../people/audit.ts';
import type { FastifyRequest } from 'fastify';
import { clientOrigin } from '../people/client-origin.ts';
import type { LoginThrottle } from '../people/login-throttle.ts';
import type { PeopleStores } from '../people/people-stores.ts';
import { sessionUserId } from '../people/person.ts';
import { sessionSecretOf } from '../people/session-cookie.ts';
import { userView, userViewSchema } from '../people/user-view.ts';
import { bodyOf, zodBody } from '../zod-body.ts';
import type { ApiPlugin } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';

export interface AuthAccountRoutesOptions {
  stores: PeopleStores;
  /** The sign-in limits also bound guesses of the current password through a borrowed session. */
  throttle: LoginThrottle;
}

const password = z.string().min(1).max(passwordLength.max);
const passwordSchema = z.object({ currentPassword: password, newPassword: password }).strict();
export const passwordChangeBody = zodBody(passwordSchema);
const setupSchema = z.object({ token: z.string().min(1).max(200), password }).strict();
export const setupBody = zodBody(setupSchema);
const confirmSchema = z.object({ code: z.string().regex(/^\d{6}$/, 'six digits') }).strict();
export const totpConfirmBody = zodBody(confirmSchema);
const disableSchema = z.object({ password }).strict();
export const totpDisableBody = zodBody(disableSchema);

const own = { action: 'account.update' } as const;
const noBody = { type: 'null', description: 'no body' } as const;
const userAnswer = { type: 'object', properties: { user: userViewSchema }, required: ['user'], additionalProperties: false } as const;
const enrolAnswer = {
  type: 'object',
  properties: {
    secret: { type: 'string', description: 'base32, for typing into an authenticator app' },
    otpauthUri: { type: 'string', description: 'the same as an otpauth:// URI (show it as a QR code)' },
  },
  required: ['secret', 'otpauthUri'],
  additionalProperties: false,
} as const;
const codesAnswer = {
  type: 'object',
  properties: { recoveryCodes: { type: 'array', items: { type: 'string' }, description: 'each works once instead of a code; shown only here' } },
  required: ['recoveryCodes'],
  additionalProperties: false,
} as const;

/** One's own account: setting a password through a one-time link, changing it, the second factor. */
export const authAccountRoutes: ApiPlugin<AuthAccountRoutesOptions> = async (app, { stores, throttle }) => {
  const assertPassword = (request: FastifyRequest, userId: string, password: string) => checkPassword(request, { stores, throttle }, userId, password);
  app.post(
    '/api/auth/setup',
    { config: { action: 'public' }, schema: { body: setupBody, response: { 200: userAnswer, ...errorResponses } } },
    async (request) => {
      const body = bodyOf(setupSchema, request);
      const user = await setPasswordWithLink(stores, body.token, body.password);
      await stores.audit.append({
        ...auditEntry(request, { action: 'account.setup', targetKind: 'user', targetId: user.id }),
        actorKind: 'user',
        actorId: user.id,
        actorName: user.email,
      });
      return { user: userView(user) };
    },
  );

  app.post('/api/auth/password', { config: own, schema: { body: passwordChangeBody, response: { 204: noBody, ...errorResponses } } }, async (request, reply) => {
    const userId = sessionUserId(request);
    const body = bodyOf(passwordSchema, request);
    await assertPassword(request, userId, body.currentPassword);
    await stores.users.setPassword(userId, body.newPassword);
    // Whoever else had the old password is signed out; this browser stays in.
    const keep = sessionSecretOf(request);
    await stores.sessions.revokeAllOf(userId, keep ? { keep } : {});
    await stores.audit.append(auditEntry(request, { action: 'account.password.change', targetKind: 'user', targetId: userId }));
    return reply.status(204).send(null);
  });

  app.post('/api/auth/totp', { config: own, schema: { response: { 200: enrolAnswer, ...errorResponses } } }, async (request) => {
    const userId = sessionUserId(request);
    const user = await stores.users.get(userId);
    if (!user) throw new BerthError('NOT_FOUND', 'your account does not exist');
    if (user.totp_enabled) throw new BerthError('CONFLICT', 'the second factor is on already: turn it off first (POST /api/auth/totp/disable)');
    const secret = await stores.factors.begin(userId);
    const issuer = `Berth (${request.headers.host ?? 'berth'})`;
    return { secret: base32Encode(secret), otpauthUri: otpauthUri(issuer, user.email, secret) };
  });

  app.post('/api/auth/totp/confirm', { config: own, schema: { body: totpConfirmBody, response: { 200: codesAnswer, ...errorResponses } } }, async (request) => {
    const userId = sessionUserId(request);
    const codes = await stores.factors.confirm(userId, bodyOf(confirmSchema, request).code);
    if (!codes) throw new BerthError('VALIDATION_FAILED', 'that code is not the current one (start again with POST /api/auth/totp if the app has no entry)');
    await stores.audit.append(auditEntry(request, { action: 'account.totp.enable', targetKind: 'user', targetId: userId }));
    return { recoveryCodes: codes };
  });

  app.post('/api/auth/totp/disable', { config: own, schema: { body: totpDisableBody, response: { 204: noBody, ...errorResponses } } }, async (request, reply) => {
    const userId = sessionUserId(request);
    await assertPassword(request, userId, bodyOf(disableSchema, request).password);
    await stores.factors.disable(userId);
    await stores.audit.append(auditEntry(request, { action: 'account.totp.disable', targetKind: 'user', targetId: userId }));
    return reply.status(204).send(null);
  });
};

/**
 * Changing how one signs in asks for the password again: a borrowed, signed-in
 * browser is not enough. The guesses count against the sign-in limits of the
 * account and the address (429 past them), so a session is no way around them.
 */
async function checkPassword(
  request: FastifyRequest,
  deps: { stores: PeopleStores; throttle: LoginThrottle },
  userId: string,
  password: string,
): Promise<void> {
  const user = await deps.stores.users.get(userId);
  if (!user) throw new BerthError('NOT_FOUND', 'your account does not exist');
  await deps.throttle.take(user.email, clientOrigin(request).address);
  const auth = await deps.stores.users.authenticate(user.email, password);
  if (!auth.ok) throw new BerthError('FORBIDDEN', 'your current password is wrong');
}
