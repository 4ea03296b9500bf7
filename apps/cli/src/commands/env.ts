/** berth env set | unset | ls: a project's env, or its previews' (--preview) (values are secrets; only names are ever shown). */
import type { EnvKeys } from '@berth/client/types';
import { berth, CliError } from '../berth-api.ts';
import { parseArgs, parseEnvPairs } from '../args.ts';
import { bold, dim, say } from '../output.ts';

const usage =
  'usage: berth env set <project> K=V [K=V ...] [--build] [--preview]\n' +
  '       berth env unset <project> K [K ...] [--build] [--preview]\n' +
  '       berth env ls <project> [--preview]';

/** What a change says it changed (nothing for the project's own env). */
const envLabels: Record<string, string> = {
  'production:env': '',
  'production:buildEnv': ' (build env)',
  'preview:env': ' (preview env)',
  'preview:buildEnv': ' (preview build env)',
};

export async function env(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const a = parseArgs(rest, { booleans: sub === 'ls' ? ['preview'] : ['build', 'preview'], usage });
  const [project, ...items] = a.positional;
  const field = a.has('build') ? 'buildEnv' : 'env';
  // --preview: the env previews (promote=false, branch pushes) get instead of the project's.
  const lane = a.has('preview') ? 'preview' : 'production';
  const which = envLabels[`${lane}:${field}`];
  switch (sub) {
    case 'set': {
      if (!project || !items.length) throw new CliError(usage);
      const values = parseEnvPairs(items, 'env set');
      const keys = await berth((api) => api.patchEnv(project, values, field, lane));
      say(`set ${Object.keys(values).join(', ')} on ${bold(project)}${which}`);
      printKeys(keys);
      return 0;
    }
    case 'unset': {
      if (!project || !items.length) throw new CliError(usage);
      const bad = items.find((k) => k.includes('='));
      if (bad) throw new CliError(`env unset takes names, not KEY=VALUE ("${bad}")\n${usage}`);
      const before = await berth((api) => api.getEnvKeys(project, lane));
      const had: string[] = field === 'buildEnv' ? before.buildEnvKeys : before.envKeys;
      const keys = await berth((api) => api.patchEnv(project, Object.fromEntries(items.map((k) => [k, null])), field, lane));
      const missing = items.filter((k) => !had.includes(k));
      const removed = items.filter((k) => had.includes(k));
      if (removed.length) say(`unset ${removed.join(', ')} on ${bold(project)}${which}`);
      if (missing.length) say(dim(`${missing.join(', ')} ${missing.length === 1 ? 'was' : 'were'} not set`));
      printKeys(keys);
      return 0;
    }
    case 'ls':
    case 'list': {
      if (!project || items.length) throw new CliError(usage);
      printKeys(await berth((api) => api.getEnvKeys(project, lane)));
      return 0;
    }
    default:
      throw new CliError(sub ? `unknown subcommand "env ${sub}"\n${usage}` : usage);
  }
}

function printKeys(keys: EnvKeys): void {
  if (!keys.envKeys.length && !keys.buildEnvKeys.length) say(dim('no env set'));
  for (const k of keys.envKeys) say(`env        ${k}`);
  for (const k of keys.buildEnvKeys) say(`build-env  ${k}`);
}
