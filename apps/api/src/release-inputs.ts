import type { DeploymentRow, ProjectRow } from '@berth/shared/db';
import type { NewDeployment } from '@berth/shared/deployment-store';
import { newDeploymentId } from '@berth/shared/ids';
import type { ProjectSettings } from '@berth/shared/project-store';
import { sealedPlace, type SecretBox } from '@berth/shared/secret-box';
import { releaseEnvOf } from './release-env.ts';

/** Where a new deployment's source comes from. */
export type ReleaseSource =
  | { type: 'git'; gitUrl: string; ref: string | null }
  | { type: 'archive'; archive: { format: 'zip' | 'tar.gz'; data: Buffer } }
  | { type: 'image'; image: string };

/** From a push: the branch of a preview (absent for production) and the commit it names. */
export interface PushedCommit {
  branch: string | null;
  commitSha: string;
  author: string | null;
  message: string | null;
}

/**
 * A deployment asked of a project (`Releases.deployProject`): what it builds
 * and what the request adds; the rest comes from the project.
 */
export interface ReleaseRequest {
  /** The project's name (it may not exist yet: POST /api/deployments makes it on first use). */
  project: string;
  /** What a missing project is made with when the deployment is written. */
  projectSettings?: ProjectSettings;
  source: ReleaseSource;
  /** Settings that win over the project's (POST /api/deployments sends its own). */
  settings?: { rootDir?: string; port?: number; healthPath?: string };
  /** Env on top of the project's. */
  env?: Record<string, string>;
  promote: boolean;
  push?: PushedCommit;
}

/** Everything a new deployment is written with. */
export interface NewRelease {
  project: string;
  projectSettings?: ProjectSettings;
  source: ReleaseSource;
  rootDir: string;
  port: number;
  healthPath: string;
  /** The env snapshot the deployment runs with (the project's, or a preview's: release-env.ts; the request's on top). */
  env: Record<string, string>;
  buildEnv: Record<string, string>;
  promote: boolean;
  push?: PushedCommit;
}

/** A request made whole from its project (or the defaults, when there is none yet). */
export function releaseOf(project: ProjectRow | undefined, request: ReleaseRequest, secrets: SecretBox, defaultPort: number): NewRelease {
  const { settings = {} } = request;
  const chosen = releaseEnvOf(project, request.promote, secrets);
  return {
    project: request.project,
    ...(request.projectSettings ? { projectSettings: request.projectSettings } : {}),
    source: request.source,
    rootDir: settings.rootDir ?? project?.root_dir ?? '',
    port: settings.port ?? project?.port ?? defaultPort,
    healthPath: settings.healthPath ?? project?.health_path ?? '/',
    env: { ...chosen.env, ...request.env },
    buildEnv: chosen.buildEnv,
    promote: request.promote,
    ...(request.push ? { push: request.push } : {}),
  };
}

/** The row a release is written as (env sealed). */
export function newDeployment(release: NewRelease, secrets: SecretBox): NewDeployment {
  const { source } = release;
  return {
    id: newDeploymentId(),
    project: release.project,
    ...(release.projectSettings ? { projectSettings: release.projectSettings } : {}),
    sourceType: source.type,
    gitUrl: source.type === 'git' ? source.gitUrl : undefined,
    gitRef: source.type === 'git' ? (source.ref ?? undefined) : undefined,
    archive: source.type === 'archive' ? source.archive : undefined,
    sourceImage: source.type === 'image' ? source.image : null,
    rootDir: release.rootDir,
    port: release.port,
    healthPath: release.healthPath,
    env: release.env,
    // Nothing to hide in an empty env: not sealed, like the build env (an AES-GCM seal and a random nonce per enqueue).
    envSealed: Object.keys(release.env).length > 0 ? secrets.seal(release.env, sealedPlace(release.project, 'env')) : null,
    buildEnvSealed: Object.keys(release.buildEnv).length > 0 ? secrets.seal(release.buildEnv, sealedPlace(release.project, 'buildEnv')) : null,
    promote: release.promote,
    ...(release.push
      ? { branch: release.push.branch, commitSha: release.push.commitSha, commitAuthor: release.push.author, commitMessage: release.push.message }
      : {}),
  };
}

/** A new deployment of the same source and env snapshot (a redeploy, a rollback). */
export function copyOf(d: DeploymentRow) {
  return {
    id: newDeploymentId(),
    project: d.project,
    branch: d.branch,
    sourceType: d.source_type,
    gitUrl: d.git_url ?? undefined,
    gitRef: d.git_ref ?? undefined,
    sourceImage: d.source_image,
    rootDir: d.root_dir,
    archiveFormat: d.archive_format,
    port: d.port,
    healthPath: d.health_path,
    env: d.env,
    envSealed: d.env_sealed,
    buildEnvSealed: d.build_env_sealed,
  };
}
