import { BerthError } from '@berth/shared/errors';
import { buildOverridesSchema, type BuildOverrides } from '@berth/shared/build-overrides';

/** The two files of a source that steer detection, read and checked: package.json and berth.json (and which keys of berth.json apply). */

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


/** INVALID_BUILD_CONFIG when berth.json sets a key that does nothing for this kind of app (a silent no-op would mislead). */
export function assertOverridesFor(overrides: BuildOverrides, allowed: readonly (keyof BuildOverrides)[], what: string): void {
  const unused = Object.keys(overrides).filter((k) => !allowed.includes(k as keyof BuildOverrides));
  if (unused.length) {
    throw new BerthError('INVALID_BUILD_CONFIG', `berth.json: ${unused.join(', ')} do${unused.length === 1 ? 'es' : ''} not apply to ${what} (it reads ${allowed.join(', ')})`);
  }
}
