import { z } from '@berth/shared/config';
import { BerthError } from '@berth/shared/errors';
import { assertSafeGitRef, assertSafeGitUrl } from '@berth/shared/git-url';
import { toProjectName } from '@berth/shared/ids';

/** What a client may send, as JSON or as multipart form fields (strings). */
const fields = z
  .object({
    gitUrl: z.string().min(1).optional(),
    ref: z.string().min(1).optional(),
    rootDir: z.string().max(500).optional(),
    name: z.string().min(1).max(100).optional(),
    port: z.coerce.number().int().min(1).max(65535).optional(),
    env: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'env names are letters, digits and _'),
        z.string().max(32 * 1024),
      )
      .optional()
      .refine((env) => !env || Object.keys(env).length <= 200, 'at most 200 env variables'),
  })
  .strict();

export type DeploymentFields = z.infer<typeof fields>;

export interface DeploymentInput {
  project: string;
  gitUrl?: string;
  ref?: string;
  rootDir: string;
  port: number;
  env: Record<string, string>;
  archive?: { format: 'zip' | 'tar.gz'; data: Buffer; filename: string };
}

export function parseFields(raw: unknown): DeploymentFields {
  const result = fields.safeParse(raw ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
    throw new BerthError('VALIDATION_FAILED', `${where}${issue.message}`);
  }
  return result.data;
}

/** Recognises the archive by its first bytes, whatever the client called it. */
export function archiveFormat(data: Buffer): 'zip' | 'tar.gz' {
  if (data.length === 0) throw new BerthError('INVALID_ARCHIVE', 'projectArchive is empty');
  if (data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && (data[2] === 3 || data[2] === 5)) return 'zip';
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) return 'tar.gz';
  throw new BerthError('INVALID_ARCHIVE', 'projectArchive is not a zip or .tar.gz archive');
}

function normalizeRootDir(rootDir: string | undefined): string {
  const trimmed = (rootDir ?? '').trim().replace(/^\.?\/+/, '').replace(/\/+$/, '');
  if (trimmed === '' || trimmed === '.') return '';
  if (trimmed.split('/').some((part) => part === '..' || part === '') || trimmed.includes('\\')) {
    throw new BerthError('VALIDATION_FAILED', `rootDir "${rootDir}" must be a relative path inside the source`);
  }
  return trimmed;
}

function projectFrom(name: string | undefined, gitUrl: string | undefined, filename: string | undefined): string {
  if (name !== undefined) {
    const project = toProjectName(name);
    if (!project) throw new BerthError('VALIDATION_FAILED', `name "${name}" cannot be used as a project name`);
    return project;
  }
  const guess = gitUrl
    ? gitUrl.replace(/\/+$/, '').split('/').at(-1)?.replace(/\.git$/, '')
    : filename?.replace(/\.(zip|tar\.gz|tgz)$/i, '');
  return (guess && toProjectName(guess)) || 'app';
}

/** Validates a request's source and options; every failure is a typed 4xx error. */
export function toDeploymentInput(
  raw: DeploymentFields,
  archive: { data: Buffer; filename: string } | undefined,
  defaults: { port: number },
): DeploymentInput {
  if (archive && raw.gitUrl) {
    throw new BerthError('SOURCE_AMBIGUOUS', 'send either projectArchive or gitUrl, not both');
  }
  if (!archive && !raw.gitUrl) {
    throw new BerthError(
      'SOURCE_MISSING',
      'send a project archive (multipart field projectArchive) or a JSON body with gitUrl',
    );
  }
  if (raw.gitUrl) assertSafeGitUrl(raw.gitUrl);
  if (raw.ref) {
    if (!raw.gitUrl) throw new BerthError('VALIDATION_FAILED', 'ref only applies to gitUrl deployments');
    assertSafeGitRef(raw.ref);
  }
  const input: DeploymentInput = {
    project: projectFrom(raw.name, raw.gitUrl, archive?.filename),
    rootDir: normalizeRootDir(raw.rootDir),
    port: raw.port ?? defaults.port,
    env: raw.env ?? {},
  };
  if (raw.gitUrl) input.gitUrl = raw.gitUrl;
  if (raw.ref) input.ref = raw.ref;
  if (archive) input.archive = { ...archive, format: archiveFormat(archive.data) };
  return input;
}
