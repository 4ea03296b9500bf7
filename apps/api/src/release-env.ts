import type { ProjectRow } from '@berth/shared/db';
import { sealedPlace, type SealedKind, type SecretBox } from '@berth/shared/secret-box';

/** The sealed columns a release's env is chosen from. */
export type EnvSources = Pick<ProjectRow, 'name' | 'env_sealed' | 'build_env_sealed' | 'preview_env_sealed' | 'preview_build_env_sealed' | 'previews_inherit_env'>;

/**
 * The env and build env a new deployment of the project is made with.
 * Production (promote) gets the project's env. A preview (promote=false: a
 * branch push, `promote: false`) is code nobody released: it gets the
 * preview env only, so pushing to a branch never hands out production's
 * secrets, unless the project asks for them (`previewsInheritEnv`: the
 * project's env with the preview env on top). The build env follows the same
 * rule: a build runs the pushed code too (a RUN step can print what it gets).
 */
export function releaseEnvOf(
  project: EnvSources | undefined,
  promote: boolean,
  secrets: Pick<SecretBox, 'open'>,
): { env: Record<string, string>; buildEnv: Record<string, string> } {
  if (!project) return { env: {}, buildEnv: {} };
  const open = (sealed: string | null | undefined, kind: SealedKind) => (sealed ? secrets.open(sealed, sealedPlace(project.name, kind)) : {});
  const production = { env: open(project.env_sealed, 'env'), buildEnv: open(project.build_env_sealed, 'buildEnv') };
  if (promote) return production;
  const preview = { env: open(project.preview_env_sealed, 'previewEnv'), buildEnv: open(project.preview_build_env_sealed, 'previewBuildEnv') };
  if (!project.previews_inherit_env) return preview;
  return { env: { ...production.env, ...preview.env }, buildEnv: { ...production.buildEnv, ...preview.buildEnv } };
}
