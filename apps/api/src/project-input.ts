import { z } from '@berth/shared/config';
import { BerthError } from '@berth/shared/errors';
import { maxProcessCount, processName } from '@berth/shared/process-types';
import { assertSafeGitRef, assertSafeGitUrl } from '@berth/shared/git-url';
import type { ProjectSettings } from '@berth/shared/project-store';
import type { ApiConfig } from './config.ts';
import { envRecord, envSchema, healthPathSchema, normalizeRootDir } from './deployment-input.ts';
import { replicasField } from './routes/deployment-scale.ts';
import { refuseLocalGitHost } from './routes/git-host.ts';
import { zodBody } from './zod-body.ts';
import { watchPathsSchema } from './watch-paths-input.ts';

// What the project routes take: their bodies' schemas (zod: they check the bodies, and the OpenAPI
// document is generated from them, see zod-body.ts) and the settings check they share.

export const nameParams = {
  type: 'object',
  properties: { name: { type: 'string', maxLength: 64 } },
  required: ['name'],
} as const;
/** One shell line (run with `sh -c` in the new image); null goes back to berth.json's `release`. */
const releaseCommandSchema = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .refine((v) => !/[\r\n\0]/.test(v), 'must be one line');
/** Project settings as a request sends them (POST and PATCH), checked like a deployment's. */
export const settingsSchema = z
  .object({
    gitUrl: z.string().min(1).max(2000).nullable().optional(),
    ref: z.string().min(1).max(255).nullable().optional(),
    rootDir: z.string().max(500).optional(),
    // "3000" too: clients sent it as a string while ajv coerced bodies, and a form field is one.
    port: z.coerce.number().int().min(1).max(65535).nullable().optional(),
    healthPath: healthPathSchema.optional(),
    // true: previews get the project's env with the preview env on top (release-env.ts).
    previewsInheritEnv: z.boolean().optional(),
    // stop-first: the old release stops before the new one starts (docs/volumes.md says what each costs).
    deployStrategy: z.enum(['start-first', 'stop-first']).optional(),
    releaseCommand: releaseCommandSchema.nullable().optional(),
    // true: each preview gets volumes of its own (empty at first), never production's.
    previewVolumes: z.boolean().optional(),
    // Globs relative to the repository root (not rootDir): a push changing none of them builds nothing.
    watchPaths: watchPathsSchema.nullable().optional(),
  })
  .strict();
/** PATCH also takes `replicas` (checked by checkReplicas, see deployment-scale.ts). */
export const patchSchema = settingsSchema
  .extend({
    replicas: replicasField('new releases take it, and the current release is scaled to it at once').optional(),
    // Containers per process type besides web (0 stops one); the current release follows at once, new releases start with them.
    processes: z
      .record(processName, z.number().int().min(0).max(maxProcessCount))
      .refine((p) => Object.keys(p).length > 0, 'names at least one process type')
      .optional(),
  })
  .strict();
export const createSchema = settingsSchema.extend({ name: z.string().min(1).max(64), env: envSchema.optional(), buildEnv: envSchema.optional() }).strict();
const envPatchValues = envRecord(z.string().max(32 * 1024).nullable()).optional();
export const envPutSchema = z.object({ env: envSchema, buildEnv: envSchema.optional() }).strict();
export const envPatchSchema = z.object({ env: envPatchValues, buildEnv: envPatchValues }).strict();
export const deployJsonSchema = z
  .object({ ref: z.string().min(1).max(255).optional(), image: z.string().min(1).max(512).optional(), promote: z.boolean().optional(), env: envSchema.optional() })
  .strict();
export const rollbackSchema = z.object({ deploymentId: z.string().regex(/^[a-z0-9]{1,64}$/).optional() }).strict();
export const createBody = zodBody(createSchema);
export const patchBody = zodBody(patchSchema);
export const envPutBody = zodBody(envPutSchema);
export const envPatchBody = zodBody(envPatchSchema);
/** No body at all is {} (parseBody), so a bare POST rolls back to the previous release. */
export const rollbackBody = zodBody(rollbackSchema);

/** Settings as a request sent them, checked (a git URL that is safe and not local) and normalized. */
export async function checkSettings(
  s: z.infer<typeof settingsSchema>,
  config: Pick<ApiConfig, 'GIT_ALLOW_PRIVATE_HOSTS' | 'BERTH_RUNTIME'>,
): Promise<ProjectSettings> {
  if (s.deployStrategy === 'stop-first' && config.BERTH_RUNTIME !== 'docker') {
    throw new BerthError('NEEDS_DOCKER_RUNTIME', 'deployStrategy stop-first needs BERTH_RUNTIME=docker (swarm mode replaces releases start-first)');
  }
  if (s.gitUrl) {
    assertSafeGitUrl(s.gitUrl);
    await refuseLocalGitHost(s.gitUrl, config.GIT_ALLOW_PRIVATE_HOSTS);
  }
  if (s.ref) assertSafeGitRef(s.ref);
  return {
    ...(s.gitUrl !== undefined ? { gitUrl: s.gitUrl } : {}),
    ...(s.ref !== undefined ? { ref: s.ref } : {}),
    ...(s.rootDir !== undefined ? { rootDir: normalizeRootDir(s.rootDir) } : {}),
    ...(s.port !== undefined ? { port: s.port } : {}),
    ...(s.healthPath !== undefined ? { healthPath: s.healthPath } : {}),
    ...(s.previewsInheritEnv !== undefined ? { previewsInheritEnv: s.previewsInheritEnv } : {}),
    ...(s.deployStrategy !== undefined ? { deployStrategy: s.deployStrategy } : {}),
    ...(s.releaseCommand !== undefined ? { releaseCommand: s.releaseCommand } : {}),
    ...(s.previewVolumes !== undefined ? { previewVolumes: s.previewVolumes } : {}),
    ...(s.watchPaths !== undefined ? { watchPaths: s.watchPaths } : {}),
  };
}
