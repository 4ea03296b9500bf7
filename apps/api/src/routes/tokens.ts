import type { FastifyRequest } from 'fastify';
import { z } from '@berth/shared/config';
import { may } from '@berth/shared/accounts/policy';
import { grantRefusal } from '@berth/shared/accounts/principal';
import { BerthError } from '@berth/shared/errors';
import type { ProjectStore } from '@berth/shared/project-store';
import { tokenScopes } from '@berth/shared/token-scope';
import { auditEntry } from '../people/audit.ts';
import type { PeopleStores } from '../people/people-stores.ts';
import { personOf } from '../people/person.ts';
import { newTokenSecret, type TokenInfo } from '@berth/shared/token-store';
import type { ApiPlugin } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';
import { bodyOf, zodBody } from '../zod-body.ts';

const nullableString = { type: ['string', 'null'] } as const;
const tokenProperties = {
  id: { type: 'string' },
  name: { type: 'string' },
  scope: { type: 'string', enum: tokenScopes },
  ownerUserId: { ...nullableString, description: 'whose personal token it is; null: an instance token (owner-level within its scope)' },
  projects: { type: ['array', 'null'], items: { type: 'string' }, description: 'the only projects it may touch; null: all its owner may' },
  expiresAt: nullableString,
  lastUsedAt: { ...nullableString, description: 'recorded at most once a minute' },
  createdAt: { type: 'string' },
  revokedAt: nullableString,
} as const;
const tokenRequired = ['id', 'name', 'scope', 'ownerUserId', 'projects', 'expiresAt', 'lastUsedAt', 'createdAt', 'revokedAt'] as const;

/** A token as the API shows it: never its secret. */
const tokenViewSchema = { type: 'object', properties: tokenProperties, required: tokenRequired, additionalProperties: false } as const;

/** A token just made: the only time its secret is shown. */
const createdTokenSchema = {
  type: 'object',
  properties: { ...tokenProperties, token: { type: 'string', description: 'the secret; shown only here' } },
  required: [...tokenRequired, 'token'],
  additionalProperties: false,
} as const;

const tokenListSchema = { type: 'object', properties: { items: { type: 'array', items: tokenViewSchema } }, required: ['items'], additionalProperties: false } as const;

const createTokenSchema = z
  .object({
    name: z.string().min(1).max(100),
    scope: z.enum(tokenScopes),
    projects: z.array(z.string().min(1).max(64)).min(1).max(100).optional().describe('limit the token to these projects'),
    expiresAt: z.iso.datetime({ offset: true }).optional().describe('when it stops working (ISO 8601, in the future)'),
  })
  .strict();
export const createTokenBody = zodBody(createTokenSchema);

const view = (t: TokenInfo) => ({
  id: t.id,
  name: t.name,
  scope: t.scope,
  ownerUserId: t.ownerUserId,
  projects: t.projects,
  expiresAt: t.expiresAt?.toISOString() ?? null,
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  createdAt: t.createdAt.toISOString(),
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

/** Anyone who may manage tokens manages their own; owners (and instance tokens) everyone's. */
const own = { action: 'tokens.own.manage' } as const;

export interface TokenRoutesOptions {
  stores: Pick<PeopleStores, 'tokens' | 'audit'>;
  projects: Pick<ProjectStore, 'get'>;
  /** Ends the revoked token's open event streams and cache entry here at once, and tells the other API processes. */
  onRevoked: (tokenId: string) => Promise<void>;
}

/** Whose tokens the caller manages: everyone's ('all'), or one person's. */
function managedBy(request: FastifyRequest): 'all' | string {
  if (may(request.caller.principal, 'tokens.all.manage') === 'allow') return 'all';
  const person = personOf(request);
  if (!person) throw new BerthError('FORBIDDEN', 'this caller may not manage tokens');
  return person;
}

/** Personal access tokens (never more than their owner), and instance tokens for operators. */
export const tokenRoutes: ApiPlugin<TokenRoutesOptions> = async (app, { stores, projects, onRevoked }) => {
  app.get('/api/tokens', { config: own, schema: { response: { 200: tokenListSchema, ...errorResponses } } }, async (request) => {
    const whose = managedBy(request);
    const all = await stores.tokens.list();
    return { items: (whose === 'all' ? all : all.filter((t) => t.ownerUserId === whose)).map(view) };
  });

  app.post('/api/tokens', { config: own, schema: { body: createTokenBody, response: { 201: createdTokenSchema, ...errorResponses } } }, async (request, reply) => {
    const body = bodyOf(createTokenSchema, request);
    const expiresAt = body.expiresAt === undefined ? null : new Date(body.expiresAt);
    if (expiresAt && expiresAt.getTime() <= Date.now()) throw new BerthError('VALIDATION_FAILED', 'expiresAt is in the past');
    const refusal = grantRefusal(request.caller, { ...body, expiresAt });
    if (refusal) throw refusal.decision === 'hidden' ? new BerthError('NOT_FOUND', refusal.message) : new BerthError('FORBIDDEN', refusal.message);
    for (const name of body.projects ?? []) if (!(await projects.get(name))) throw new BerthError('NOT_FOUND', `project ${name} does not exist`);
    const ownerUserId = personOf(request) ?? null;
    if (!ownerUserId && body.projects) {
      throw new BerthError('VALIDATION_FAILED', 'an instance token is not limited to projects: sign in and make a personal token, or use a deploy key');
    }
    const ownership = { ownerUserId, projects: body.projects ? [...new Set(body.projects)] : null, expiresAt };
    const { token, info } = await stores.tokens.create(body.name, body.scope, newTokenSecret(), ownership);
    await stores.audit.append(auditEntry(request, { action: 'token.create', targetKind: 'token', targetId: info.id, detail: { name: info.name, scope: info.scope, projects: info.projects, ownerUserId } }));
    // The only time the secret is shown.
    return reply.status(201).send({ ...view(info), token });
  });

  app.delete(
    '/api/tokens/:id',
    { config: own, schema: { params: { type: 'object', properties: { id: { type: 'string', maxLength: 64 } }, required: ['id'] }, response: { 200: tokenViewSchema, ...errorResponses } } },
    async (request) => {
      const { id } = request.params;
      const whose = managedBy(request);
      const existing = (await stores.tokens.list()).find((t) => t.id === id);
      // Someone else's token is answered as one that does not exist.
      if (!existing || (whose !== 'all' && existing.ownerUserId !== whose)) throw new BerthError('NOT_FOUND', `token ${id} does not exist`);
      const info = (await stores.tokens.revoke(id))!;
      await onRevoked(id);
      await stores.audit.append(auditEntry(request, { action: 'token.revoke', targetKind: 'token', targetId: id, detail: { name: info.name } }));
      return view(info);
    },
  );
};
