import { BerthError } from '@berth/shared/errors';
import type { ProjectRow } from '@berth/shared/db';
import type { EnvLane, ProjectStore } from '@berth/shared/project-store';
import { sealedPlace, type SecretBox } from '@berth/shared/secret-box';
import { envPatchBody, envPatchSchema, envPutBody, envPutSchema, nameParams } from '../project-input.ts';
import { bodyOf } from '../zod-body.ts';
import { envKeysOf } from '../project-view.ts';
import type { ApiInstance } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';

const previewKinds = { env: 'previewEnv', buildEnv: 'previewBuildEnv' } as const;

export interface ProjectEnvRoutesOptions {
  projects: Pick<ProjectStore, 'mustGet' | 'changeEnv'>;
  secrets: SecretBox;
}

/** Reading shows the names only (values are never shown); changing them is a project admin's (`deploy` is the routes' old name for it). */
const read = { action: 'project.read', project: 'param' } as const;
const deploy = { action: 'project.env.update', project: 'param' } as const;
const envKeysSchema = {
  type: 'object',
  properties: { envKeys: { type: 'array', items: { type: 'string' } }, buildEnvKeys: { type: 'array', items: { type: 'string' } } },
  required: ['envKeys', 'buildEnvKeys'],
  additionalProperties: false,
} as const;

/**
 * A project's sealed env and build env (`/env`: production's; `/preview-env`: the previews', see
 * release-env.ts): their names, replaced whole (PUT) or by name (PATCH; null removes one).
 */
export function projectEnvRoutes(app: ApiInstance, options: ProjectEnvRoutesOptions): void {
  envRoutes(app, options, '/api/projects/:name/env', 'production');
  envRoutes(app, options, '/api/projects/:name/preview-env', 'preview');
}

function envRoutes(app: ApiInstance, { projects, secrets }: ProjectEnvRoutesOptions, path: string, lane: EnvLane): void {
  const schema = { params: nameParams, response: { 200: envKeysSchema, ...errorResponses } } as const;
  const keys = (row: ProjectRow) => {
    const k = envKeysOf(secrets, row);
    return lane === 'production'
      ? { envKeys: k.env.sort(), buildEnvKeys: k.buildEnv.sort() }
      : { envKeys: k.previewEnv.sort(), buildEnvKeys: k.previewBuildEnv.sort() };
  };
  // Each lane's values are bound to their own place: a preview env value cannot be moved into production's.
  const place = (project: string, kind: 'env' | 'buildEnv') => sealedPlace(project, lane === 'production' ? kind : previewKinds[kind]);
  const sealOrNull = (project: string, kind: 'env' | 'buildEnv', env: Record<string, string>) =>
    Object.keys(env).length ? secrets.seal(env, place(project, kind)) : null;

  app.get(path, { config: read, schema }, async (request) => keys(await projects.mustGet(request.params.name)));

  app.put(
    path,
    { config: deploy, schema: { ...schema, body: envPutBody } },
    async (request) => {
      const body = bodyOf(envPutSchema, request);
      const row = await projects.changeEnv(
        request.params.name,
        () => ({
          env: sealOrNull(request.params.name, 'env', body.env),
          ...(body.buildEnv ? { buildEnv: sealOrNull(request.params.name, 'buildEnv', body.buildEnv) } : {}),
        }),
        lane,
      );
      return keys(row);
    },
  );

  app.patch(
    path,
    { config: deploy, schema: { ...schema, body: envPatchBody } },
    async (request) => {
      const body = bodyOf(envPatchSchema, request);
      const merge = (kind: 'env' | 'buildEnv', sealed: string | null, patch: Record<string, string | null> | undefined) => {
        const next = { ...(sealed ? secrets.open(sealed, place(request.params.name, kind)) : {}) };
        for (const [k, v] of Object.entries(patch ?? {})) {
          if (v === null) delete next[k];
          else next[k] = v;
        }
        if (Object.keys(next).length > 200) throw new BerthError('VALIDATION_FAILED', 'at most 200 env variables');
        return sealOrNull(request.params.name, kind, next);
      };
      const row = await projects.changeEnv(
        request.params.name,
        (current) => ({
          ...(body.env ? { env: merge('env', current.env, body.env) } : {}),
          ...(body.buildEnv ? { buildEnv: merge('buildEnv', current.buildEnv, body.buildEnv) } : {}),
        }),
        lane,
      );
      return keys(row);
    },
  );
}
