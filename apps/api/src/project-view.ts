import type { FromSchema } from 'json-schema-to-ts';
import { projectActions } from '@berth/shared/accounts/policy';
import type { DeploymentRow, ProjectRow } from '@berth/shared/db';
import type { ProjectDisk } from '@berth/shared/project-store';
import { redactUrl } from '@berth/shared/redact';
import { sealedPlace, type SealedKind, type SecretBox } from '@berth/shared/secret-box';
import { baseUrl, deploymentView, deploymentViewSchema, hostUrl, type Urls } from './deployment-view.ts';
import { projectProcesses, projectProcessSchema } from './process-view.ts';

const nullableString = { type: ['string', 'null'] } as const;

/** What the caller may do in the project (access/decide.ts `callerAccess`). */
const accessSchema = {
  type: 'object',
  description: 'what the caller may do here (in the answers about one project, not in lists): clients offer only these actions',
  properties: {
    role: { type: ['string', 'null'], enum: ['admin', 'deployer', 'viewer', null], description: "the caller's role in the project (owners and instance tokens act as admin); null for a deploy key" },
    actions: { type: 'array', items: { type: 'string', enum: projectActions }, description: 'the project actions the caller may take (its token scope counted)' },
  },
  required: ['role', 'actions'],
  additionalProperties: false,
} as const;

/** The response schema of a project (Fastify serializes with it; `projectView` is typed from it). */
export const projectViewSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    url: { type: 'string', description: 'the stable URL: it serves the current release' },
    gitUrl: { ...nullableString, description: 'credentials redacted' },
    ref: nullableString,
    rootDir: { type: 'string' },
    port: { type: ['integer', 'null'] },
    healthPath: { type: 'string' },
    replicas: { type: 'integer', description: 'copies a new release runs; changing it scales the current release too' },
    envKeys: { type: 'array', items: { type: 'string' }, description: 'env values are secrets: only their names are shown' },
    buildEnvKeys: { type: 'array', items: { type: 'string' } },
    previewEnvKeys: { type: 'array', items: { type: 'string' }, description: 'the env previews get (PUT /api/projects/{name}/preview-env); names only' },
    previewBuildEnvKeys: { type: 'array', items: { type: 'string' } },
    previewsInheritEnv: { type: 'boolean', description: "true: previews get the project's env with the preview env on top; false: the preview env only" },
    deployStrategy: { type: 'string', enum: ['start-first', 'stop-first'], description: 'start-first: the new release starts, then the old one stops; stop-first: the old one stops first (a gap)' },
    releaseCommand: { ...nullableString, description: "run once in each new production image before the URL moves; null: berth.json's release, if any" },
    previewVolumes: { type: 'boolean', description: "true: each preview gets volumes of its own (empty at first); false: previews get none (never production's)" },
    watchPaths: { type: ['array', 'null'], items: { type: 'string' }, description: 'globs relative to the repository root: a push changing none of them builds nothing; null: every push builds' },
    lastSkippedPush: {
      anyOf: [
        {
          type: 'object',
          properties: { sha: { type: 'string' }, branch: { type: 'string' }, at: { type: 'string' }, reason: { type: 'string' } },
          required: ['sha', 'branch', 'at', 'reason'],
          additionalProperties: false,
        },
        { type: 'null' },
      ],
      description: 'the newest push that built nothing (no changed file matched watchPaths)',
    },
    registryAuth: { type: 'boolean', description: 'whether prebuilt images are pulled with credentials (PUT /api/projects/{name}/registry-auth); they are never shown' },
    processes: { type: 'array', items: projectProcessSchema, description: 'the current release\'s processes (none without one): how many of each run, and whether they do' },
    currentDeployment: { anyOf: [deploymentViewSchema, { type: 'null' }] },
    releases: { type: 'array', items: deploymentViewSchema, description: 'kept releases, newest first (rollback targets)' },
    hookUrl: { type: 'string', description: 'where a git host sends push events (signed with the hook secret)' },
    hookSecret: { type: 'string', description: 'only in the answers that create or rotate it' },
    access: accessSchema,
    disk: {
      type: 'object',
      properties: { imageBytes: { type: 'integer' }, archiveBytes: { type: 'integer' } },
      required: ['imageBytes', 'archiveBytes'],
      additionalProperties: false,
    },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
  required: ['id', 'name', 'url', 'hookUrl', 'gitUrl', 'ref', 'rootDir', 'port', 'healthPath', 'replicas', 'envKeys', 'buildEnvKeys', 'previewEnvKeys', 'previewBuildEnvKeys', 'previewsInheritEnv', 'deployStrategy', 'releaseCommand', 'previewVolumes', 'watchPaths', 'lastSkippedPush', 'registryAuth', 'processes', 'currentDeployment', 'createdAt', 'updatedAt'],
  additionalProperties: false,
} as const;

export type ProjectView = FromSchema<typeof projectViewSchema>;

export function projectView(
  row: ProjectRow,
  urls: Urls,
  keys: EnvKeys,
  detail: { current?: DeploymentRow | undefined; releases?: DeploymentRow[]; disk?: ProjectDisk } = {},
): ProjectView {
  const view = (d: DeploymentRow) => deploymentView(d, urls, { current: d.id === row.current_deployment_id });
  return {
    id: row.id,
    name: row.name,
    url: hostUrl(urls, row.name),
    hookUrl: `${baseUrl(urls)}/api/hooks/git/${row.name}`,
    gitUrl: row.git_url && redactUrl(row.git_url),
    ref: row.git_ref,
    rootDir: row.root_dir,
    port: row.port,
    healthPath: row.health_path,
    replicas: row.replicas,
    envKeys: [...keys.env].sort(),
    buildEnvKeys: [...keys.buildEnv].sort(),
    previewEnvKeys: [...(keys.previewEnv ?? [])].sort(),
    previewBuildEnvKeys: [...(keys.previewBuildEnv ?? [])].sort(),
    previewsInheritEnv: row.previews_inherit_env,
    deployStrategy: row.deploy_strategy,
    releaseCommand: row.release_command,
    previewVolumes: row.preview_volumes,
    watchPaths: row.watch_paths,
    lastSkippedPush: row.last_skipped_push,
    registryAuth: row.registry_auth_sealed !== null,
    processes: projectProcesses(row, detail.current),
    currentDeployment: detail.current ? view(detail.current) : null,
    ...(detail.releases ? { releases: detail.releases.map(view) } : {}),
    ...(detail.disk ? { disk: detail.disk } : {}),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The names of a project's envs (production's and the previews'). */
export interface EnvKeys {
  env: string[];
  buildEnv: string[];
  previewEnv?: string[];
  previewBuildEnv?: string[];
}

/** The names of a project's env and build env, and the previews' (their values are secrets: never shown). */
export function envKeysOf(secrets: SecretBox, row: ProjectRow): Required<EnvKeys> {
  const names = (sealed: string | null, kind: SealedKind) => (sealed ? Object.keys(secrets.open(sealed, sealedPlace(row.name, kind))) : []);
  return {
    env: names(row.env_sealed, 'env'),
    buildEnv: names(row.build_env_sealed, 'buildEnv'),
    previewEnv: names(row.preview_env_sealed, 'previewEnv'),
    previewBuildEnv: names(row.preview_build_env_sealed, 'previewBuildEnv'),
  };
}
