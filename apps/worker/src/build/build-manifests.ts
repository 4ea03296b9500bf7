import { BerthError } from '@berth/shared/errors';
import { buildOverridesSchema, type BuildOverrides } from '@berth/shared/build-overrides';

/** The two files of a source that steer detection, read and checked: package.json and berth.json. */

/** The fields of package.json detection reads. */
export interface PackageJson {
  name?: unknown;
  main?: unknown;
  scripts?: Record<string, unknown>;
  engines?: { node?: unknown };
  packageManager?: unknown;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  optionalDependencies?: Record<string, unknown>;
}

/** berth.json's overrides ({} without one); INVALID_BUILD_CONFIG when it is not valid. */
export function readOverrides(text: string | undefined): BuildOverrides {
  if (text === undefined) return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new BerthError('INVALID_BUILD_CONFIG', `berth.json is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = buildOverridesSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new BerthError('INVALID_BUILD_CONFIG', `berth.json: ${where}: ${issue.message}`);
  }
  return parsed.data;
}

export function parsePackageJson(text: string): PackageJson {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new BerthError('INVALID_BUILD_CONFIG', `package.json is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new BerthError('INVALID_BUILD_CONFIG', 'package.json must be a JSON object');
  }
  const pkg = json as PackageJson;
  for (const key of ['scripts', 'dependencies', 'devDependencies', 'optionalDependencies', 'engines'] as const) {
    const v = pkg[key];
    if (v !== undefined && (typeof v !== 'object' || v === null || Array.isArray(v))) {
      throw new BerthError('INVALID_BUILD_CONFIG', `package.json: ${key} must be an object`);
    }
  }
  return pkg;
}

