/** berth services add | rm | ls: a project's managed Postgres and Redis (docs/services.md). */
import type { AddServiceRequest } from '@berth/client/types';
import { berth, CliError } from '../berth-api.ts';
import { parseArgs } from '../args.ts';
import { bold, dim, say, table } from '../output.ts';

const usage =
  'usage: berth services add <project> postgres|redis [--name N] [--version V] [--env-name VAR] [--previews] | rm <project> <name> [--delete-data] | ls <project>';

export async function services(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const a = parseArgs(rest, { usage, booleans: ['previews', 'delete-data'], values: ['name', 'version', 'env-name'] });
  const [project, second, ...extra] = a.positional;
  switch (sub) {
    case 'add': {
      if (!project || (second !== 'postgres' && second !== 'redis') || extra.length) throw new CliError(usage);
      const body: AddServiceRequest = { type: second };
      const [name, version, envName] = [a.one('name'), a.one('version'), a.one('env-name')];
      if (name) body.name = name;
      if (version) body.version = version;
      if (envName) body.envName = envName;
      if (a.has('previews')) body.previews = true;
      const s = await berth((api) => api.addService(project, body));
      say(`added ${bold(s.name)} (${s.type} ${s.version}) to ${bold(project)}: its apps get ${bold(s.envName)} from their next release`);
      return 0;
    }
    case 'rm': {
      if (!project || !second || extra.length) throw new CliError(usage);
      const s = await berth((api) => api.removeService(project, second, a.has('delete-data')));
      say(`removing ${bold(s.name)} from ${bold(project)}; ${a.has('delete-data') ? 'its data too' : `its data stays on volume ${s.dataVolume}`}`);
      return 0;
    }
    case 'ls':
    case 'list': {
      if (!project || second) throw new CliError(usage);
      const { items } = await berth((api) => api.listServices(project));
      if (!items.length) say(dim(`no services on ${project}: berth services add ${project} postgres`));
      else table(items.map((s) => [s.name, `${s.type} ${s.version}`, s.envName, s.status, s.bytesUsed === null ? '' : `${Math.round(s.bytesUsed / 1e6)} MB`]));
      return 0;
    }
    default:
      throw new CliError(sub ? `unknown subcommand "services ${sub}"\n${usage}` : usage);
  }
}
