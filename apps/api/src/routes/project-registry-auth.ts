import { z } from '@berth/shared/config';
import type { ProjectStore } from '@berth/shared/project-store';
import { sealedPlace, type SecretBox } from '@berth/shared/secret-box';
import { nameParams } from '../project-input.ts';
import { bodyOf, zodBody } from '../zod-body.ts';
import type { ApiInstance } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';

export interface RegistryAuthRoutesOptions {
  projects: Pick<ProjectStore, 'mustGet' | 'setRegistryAuth'>;
  secrets: SecretBox;
}

/** Credentials are secrets like env: a project admin's to change. */
const change = { action: 'project.env.update', project: 'param' } as const;
const registryAuthSchema = z.object({ username: z.string().min(1).max(256), password: z.string().min(1).max(8192) }).strict();
const answer = {
  type: 'object',
  properties: { registryAuth: { type: 'boolean', description: 'whether pulls sign in (the credentials are never shown)' } },
  required: ['registryAuth'],
  additionalProperties: false,
} as const;

/**
 * `/api/projects/:name/registry-auth`: the credentials a project's prebuilt images are pulled
 * with (sealed, bound to the project: never readable, never usable by another project's pull).
 */
export function registryAuthRoutes(app: ApiInstance, { projects, secrets }: RegistryAuthRoutesOptions): void {
  const schema = { params: nameParams, response: { 200: answer, ...errorResponses } } as const;
  app.put('/api/projects/:name/registry-auth', { config: change, schema: { ...schema, body: zodBody(registryAuthSchema) } }, async (request) => {
    const body = bodyOf(registryAuthSchema, request);
    const name = request.params.name;
    await projects.setRegistryAuth(name, secrets.seal(body, sealedPlace(name, 'registryAuth')));
    return { registryAuth: true };
  });
  app.delete('/api/projects/:name/registry-auth', { config: change, schema }, async (request) => {
    await projects.setRegistryAuth(request.params.name, null);
    return { registryAuth: false };
  });
}
