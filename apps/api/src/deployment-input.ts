import { z } from '@berth/shared/config';
import { BerthError } from '@berth/shared/errors';
import { assertSafeGitRef, assertSafeGitUrl } from '@berth/shared/git-url';
import { checkImageReference } from '@berth/shared/image-reference';
import { projectNamePattern, toProjectName } from '@berth/shared/ids';

/** An env variable's name. */
const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Env names and the values a request gives them (at most `maxEntries`): the one home of the env-name rule. */
export function envRecord<V extends z.ZodType<string | null>>(value: V, maxEntries?: number) {
  return z.record(z.string().max(256), value).superRefine((env, ctx) => {
    for (const key of Object.keys(env)) {
      if (!envName.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'env names are letters, digits and _, not starting with a digit' });
    }
    if (maxEntries !== undefined && Object.keys(env).length > maxEntries) ctx.addIssue({ code: 'custom', message: `at most ${maxEntries} env variables` });
  });
}

/** Env names and values as a request carries them. */
export const envSchema = envRecord(z.string().max(32 * 1024), 200);

/** A path the app answers health checks on: absolute, no scheme or host, printable. */
export const healthPathSchema = z
  .string()
  .max(500)
  .regex(/^\/[\x21-\x7e]*$/, 'healthPath is a path starting with / (printable characters, no spaces)');

/** true/false as JSON or as a form field. */
const booleanField = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

/** What a client may send, as JSON or as multipart form fields (strings). */
export const deploymentFieldsSchema = z
  .object({
    gitUrl: z.string().min(1).optional(),
    /** A prebuilt image to pull and run instead of a source to build (the project route's `image`). */
    image: z.string().min(1).max(512).optional(),
    ref: z.string().min(1).optional(),
    rootDir: z.string().max(500).optional(),
    name: z.string().min(1).max(100).optional(),
    port: z.coerce.number().int().min(1).max(65535).optional(),
    env: envSchema.optional(),
    /** What the client says it sends (the seed clients do): checked against what it sends. */
    sourceType: z.enum(['git', 'upload', 'archive']).optional(),
    /** false: a preview, which does not take the project URL by itself. */
    promote: booleanField.optional(),
    healthPath: healthPathSchema.optional(),
  })
  .strict();

export type DeploymentFields = z.infer<typeof deploymentFieldsSchema>;

export interface DeploymentInput {
  project: string;
  /** Whether the client named the project (else it was guessed from the source). */
  named: boolean;
  promote: boolean;
  healthPath?: string;
  gitUrl?: string;
  ref?: string;
  /** A prebuilt image (checked: a reference naming none of Berth's own images). */
  image?: string;
  rootDir: string;
  port: number;
  env: Record<string, string>;
  archive?: { format: 'zip' | 'tar.gz'; data: Buffer; filename: string };
}

export function parseFields(raw: unknown): DeploymentFields {
  return parseBody(deploymentFieldsSchema, raw);
}

/** A request body checked against a zod schema; the first problem becomes a VALIDATION_FAILED error. */
export function parseBody<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const result = schema.safeParse(raw ?? {});
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

export function normalizeRootDir(rootDir: string | undefined): string {
  const trimmed = (rootDir ?? '').trim().replace(/^\.?\/+/, '').replace(/\/+$/, '');
  if (trimmed === '' || trimmed === '.') return '';
  if (trimmed.split('/').some((part) => part === '..' || part === '') || trimmed.includes('\\')) {
    throw new BerthError('VALIDATION_FAILED', `rootDir "${rootDir}" must be a relative path inside the source`);
  }
  return trimmed;
}

function projectFrom(name: string | undefined, source: { gitUrl?: string | undefined; image?: string | undefined; filename?: string | undefined }): string {
  if (name !== undefined) {
    const project = toProjectName(name);
    if (!project) throw new BerthError('VALIDATION_FAILED', `name "${name}" cannot be used as a project name`);
    return project;
  }
  const { gitUrl, image, filename } = source;
  const guess = gitUrl
    ? gitUrl.replace(/\/+$/, '').split('/').at(-1)?.replace(/\.git$/, '')
    : image
      ? image.replace(/[@:][^/]*$/, '').split('/').at(-1)
      : filename?.replace(/\.(zip|tar\.gz|tgz)$/i, '');
  const project = (guess && toProjectName(guess)) || 'app';
  // A guessed name that may not name a project gets a suffix instead of a refusal.
  return reservedReason(project, undefined) ? `${project.slice(0, 36)}-app` : project;
}

/**
 * Why a name cannot be a project's (its URL would shadow something), or
 * undefined: `api` and `www`, the base domain's own labels, and anything
 * shaped like a deployment id (`<id>.<base>` is a deployment's own URL).
 */
export function reservedReason(name: string, baseDomain: string | undefined): string | undefined {
  if (name === 'api' || name === 'www') return `${name} is reserved`;
  if (name.includes('--')) return 'two dashes in a row mark branch previews (<branch>--<project>)';
  if (baseDomain && baseDomain.split('.').includes(name)) return `${name} is a label of the base domain`;
  if (/^[a-z][a-z0-9]{11}$/.test(name)) return `${name} looks like a deployment id (12 letters and digits); add a dash or change its length`;
  return undefined;
}

/** A name a client chose for a new project: a DNS label and not reserved, else VALIDATION_FAILED. */
export function assertProjectName(name: string, baseDomain: string): void {
  if (!projectNamePattern.test(name)) {
    throw new BerthError('VALIDATION_FAILED', `name "${name}" is not a project name: lowercase letters, digits and dashes, starting with a letter (max 40)`);
  }
  const reserved = reservedReason(name, baseDomain);
  if (reserved) throw new BerthError('VALIDATION_FAILED', `name "${name}" cannot be used: ${reserved}`);
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
  if (raw.image !== undefined) assertImageAlone(raw, archive);
  if (raw.sourceType === 'git' && archive) {
    throw new BerthError('SOURCE_AMBIGUOUS', 'sourceType is git, but the request carries an archive (projectArchive)');
  }
  if ((raw.sourceType === 'upload' || raw.sourceType === 'archive') && raw.gitUrl) {
    throw new BerthError('SOURCE_AMBIGUOUS', `sourceType is ${raw.sourceType}, but the request carries a gitUrl`);
  }
  if ((raw.sourceType === 'upload' || raw.sourceType === 'archive') && !archive) {
    throw new BerthError('SOURCE_MISSING', `sourceType is ${raw.sourceType}: send the archive as the multipart field projectArchive`);
  }
  if (!archive && !raw.gitUrl && raw.image === undefined) {
    throw new BerthError(
      'SOURCE_MISSING',
      'send a project archive (multipart field projectArchive) or a JSON body with gitUrl or image',
    );
  }
  if (raw.gitUrl) assertSafeGitUrl(raw.gitUrl);
  if (raw.ref) {
    if (!raw.gitUrl) throw new BerthError('VALIDATION_FAILED', 'ref only applies to gitUrl deployments');
    assertSafeGitRef(raw.ref);
  }
  const input: DeploymentInput = {
    project: projectFrom(raw.name, { gitUrl: raw.gitUrl, image: raw.image, filename: archive?.filename }),
    named: raw.name !== undefined,
    promote: raw.promote ?? true,
    ...(raw.healthPath ? { healthPath: raw.healthPath } : {}),
    rootDir: normalizeRootDir(raw.rootDir),
    port: raw.port ?? defaults.port,
    env: raw.env ?? {},
  };
  if (raw.image !== undefined) input.image = raw.image;
  if (raw.gitUrl) input.gitUrl = raw.gitUrl;
  if (raw.ref) input.ref = raw.ref;
  if (archive) input.archive = { ...archive, format: archiveFormat(archive.data) };
  return input;
}

/**
 * An image is the whole source: no archive, git URL, ref or rootDir with it
 * (as on the project route), and a reference naming none of Berth's own
 * images (the worker checks the registry's host before it pulls).
 */
function assertImageAlone(raw: DeploymentFields, archive: unknown): void {
  if (archive) throw new BerthError('SOURCE_AMBIGUOUS', 'send either projectArchive or image, not both');
  if (raw.gitUrl !== undefined || raw.ref !== undefined) throw new BerthError('SOURCE_AMBIGUOUS', 'give an image or a git source (gitUrl, ref), not both');
  if (raw.sourceType !== undefined) throw new BerthError('SOURCE_AMBIGUOUS', `sourceType is ${raw.sourceType}, but the request carries an image`);
  if (raw.rootDir !== undefined) throw new BerthError('VALIDATION_FAILED', 'rootDir applies to a source to build, not to a prebuilt image');
  checkImageReference(raw.image!);
}
