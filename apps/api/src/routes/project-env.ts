import { BerthError } from '@berth/shared/errors';
import type { ProjectRow } from '@berth/shared/db';
import type { ProjectStore } from '@berth/shared/project-store';
import type { SecretBox } from '@berth/shared/secret-box';
import { envPatchBody, envPatchSchema, envPutBody, envPutSchema, nameParams } from '../project-input.ts';
import { bodyOf } from '../zod-body.ts';
import { envKeysOf } from '../project-view.ts';
import type { ApiInstance } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';

export interface ProjectEnvRoutesOptions {
  projects: Pick<ProjectStore, 'mustGet' | 'changeEnv'>;
  secrets: SecretBox;
}

/** The names only (values are never shown); changing them is an admin's. */
const read = { action: 'project.read', project: 'param' } as const;
const update = { action: 'project.env.update', project: 'param' } as const;
const envKeysSchema = {
  type: 'object',
  properties: { envKeys: { type: 'array', items: { type: 'string' } }, buildEnvKeys: { type: 'array', items: { type: 'string' } } },
  required: ['envKeys', 'buildEnvKeys'],
  additionalProperties: false,
} as const;

/** A project's sealed env and build env: their names, replaced whole (PUT) or by name (PATCH; null removes one). */
export function projectEnvRoutes(app: ApiInstance, { projects, secrets }: ProjectEnvRoutesOptions): void {
  const schema = { params: nameParams, response: { 200: envKeysSchema, ...errorResponses } } as const;
  const keys = (row: ProjectRow) => {
    const k = envKeysOf(secrets, row);
    return { envKeys: k.env.sort(), buildEnvKeys: k.buildEnv.sort() };
  };
  const sealOrNull = (env: Record<string, string>) => (Object.keys(env).length ? secrets.seal(env) : null);

  app.get('/api/projects/:name/env', { config: read, schema }, async (request) => keys(await projects.mustGet(request.params.name)));

  app.put(
    '/api/projects/:name/env',
    { config: update, schema: { ...schema, body: envPutBody } },
    async (request) => {
      const body = bodyOf(envPutSchema, request);
      const row = await projects.changeEnv(request.params.name, () => ({
        env: sealOrNull(body.env),
        ...(body.buildEnv ? { buildEnv: sealOrNull(body.buildEnv) } : {}),
      }));
      return keys(row);
    },
  );

  app.patch(
    '/api/projects/:name/env',
    { config: update, schema: { ...schema, body: envPatchBody } },
    async (request) => {
      const body = bodyOf(envPatchSchema, request);
      const merge = (sealed: string | null, patch: Record<string, string | null> | undefined) => {
        const next = { ...(sealed ? secrets.open(sealed) : {}) };
        for (const [k, v] of Object.entries(patch ?? {})) {
          if (v === null) delete next[k];
          else next[k] = v;
        }
        if (Object.keys(next).length > 200) throw new BerthError('VALIDATION_FAILED', 'at most 200 env variables');
        return sealOrNull(next);
      };
      const row = await projects.changeEnv(request.params.name, (current) => ({
        ...(body.env ? { env: merge(current.env, body.env) } : {}),
        ...(body.buildEnv ? { buildEnv: merge(current.buildEnv, body.buildEnv) } : {}),
      }));
      return keys(row);
    },
  );
}
