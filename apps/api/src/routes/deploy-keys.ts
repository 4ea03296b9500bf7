import { z } from '@berth/shared/config';
import type { DeployKeyInfo } from '@berth/shared/accounts/deploy-key-store';
import type { ProjectStore } from '@berth/shared/project-store';
import { auditEntry } from '../people/audit.ts';
import type { PeopleStores } from '../people/people-stores.ts';
import { personOf } from '../people/person.ts';
import { bodyOf, zodBody } from '../zod-body.ts';
import type { ApiPlugin } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';

export interface DeployKeyRoutesOptions {
  stores: Pick<PeopleStores, 'deployKeys' | 'audit'>;
  projects: Pick<ProjectStore, 'mustGet'>;
  /** A revoked key: dropped from every API process's cache at once. */
  onRevoked: (keyId: string) => Promise<void>;
}

const createSchema = z.object({ name: z.string().min(1).max(100).describe('what uses it, e.g. "github-actions"') }).strict();
export const deployKeyCreateBody = zodBody(createSchema);

const nameParams = { type: 'object', properties: { name: { type: 'string', maxLength: 64 } }, required: ['name'] } as const;
const keyParams = {
  type: 'object',
  properties: { name: { type: 'string', maxLength: 64 }, id: { type: 'string', maxLength: 64 } },
  required: ['name', 'id'],
} as const;
const keyProperties = {
  id: { type: 'string' },
  project: { type: 'string' },
  name: { type: 'string' },
  createdBy: { type: ['string', 'null'], description: 'the user who made it (null: an instance token)' },
  createdAt: { type: 'string' },
  lastUsedAt: { type: ['string', 'null'] },
  revokedAt: { type: ['string', 'null'] },
} as const;
const keyRequired = ['id', 'project', 'name', 'createdBy', 'createdAt', 'lastUsedAt', 'revokedAt'] as const;
const keyViewSchema = { type: 'object', properties: keyProperties, required: keyRequired, additionalProperties: false } as const;
const createdKeySchema = {
  type: 'object',
  properties: { ...keyProperties, key: { type: 'string', description: 'the secret (berthdk_…): Authorization: Bearer <key>; shown only here' } },
  required: [...keyRequired, 'key'],
  additionalProperties: false,
} as const;
const keyList = { type: 'object', properties: { items: { type: 'array', items: keyViewSchema } }, required: ['items'], additionalProperties: false } as const;

const manage = { action: 'project.deploy-keys.manage', project: 'param' } as const;

const view = (k: DeployKeyInfo) => ({
  ...k,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
});

/** Deploy keys for CI: each deploys its one project (and reads it, to follow the deploy), nothing else. */
export const deployKeyRoutes: ApiPlugin<DeployKeyRoutesOptions> = async (app, { stores, projects, onRevoked }) => {
  app.get('/api/projects/:name/deploy-keys', { config: manage, schema: { params: nameParams, response: { 200: keyList, ...errorResponses } } }, async (request) => {
    const { name } = await projects.mustGet(request.params.name);
    return { items: (await stores.deployKeys.list(name)).map(view) };
  });

  app.post(
    '/api/projects/:name/deploy-keys',
    { config: manage, schema: { params: nameParams, body: deployKeyCreateBody, response: { 201: createdKeySchema, ...errorResponses } } },
    async (request, reply) => {
      const { name: project } = request.params;
      const { name } = bodyOf(createSchema, request);
      const createdBy = personOf(request) ?? null;
      const { key, info } = await stores.deployKeys.create(project, name, createdBy);
      await stores.audit.append(auditEntry(request, { action: 'deploy-key.create', project, targetKind: 'deploy-key', targetId: info.id, detail: { name } }));
      // The only time the secret is shown.
      return reply.status(201).send({ ...view(info), key });
    },
  );

  app.delete(
    '/api/projects/:name/deploy-keys/:id',
    { config: manage, schema: { params: keyParams, response: { 200: keyViewSchema, ...errorResponses } } },
    async (request) => {
      const { name, id } = request.params;
      const info = await stores.deployKeys.revoke(name, id);
      await onRevoked(id);
      await stores.audit.append(auditEntry(request, { action: 'deploy-key.revoke', project: name, targetKind: 'deploy-key', targetId: id }));
      return view(info);
    },
  );
};
