/** berth domains add | rm | ls: a project's custom hostnames. */
import { berth, CliError } from '../berth-api.ts';
import { parseArgs } from '../args.ts';
import { bold, dim, say, table } from '../output.ts';

const usage = 'usage: berth domains add <project> <hostname> | rm <project> <hostname> | ls <project>';

export async function domains(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const a = parseArgs(rest, { usage });
  const [project, hostname, ...extra] = a.positional;
  switch (sub) {
    case 'add': {
      if (!project || !hostname || extra.length) throw new CliError(usage);
      const d = await berth((api) => api.addDomain(project, hostname));
      say(`added ${bold(d.hostname)} to ${bold(project)}  ${d.url ?? ''}`.trimEnd());
      return 0;
    }
    case 'rm': {
      if (!project || !hostname || extra.length) throw new CliError(usage);
      const d = await berth((api) => api.removeDomain(project, hostname));
      say(`removed ${bold(d?.hostname ?? hostname)} from ${bold(project)}`);
      return 0;
    }
    case 'ls':
    case 'list': {
      if (!project || hostname) throw new CliError(usage);
      const { items } = await berth((api) => api.listDomains(project));
      if (!items.length) say(dim(`no domains on ${project}: berth domains add ${project} <hostname>`));
      else table(items.map((d) => [d.hostname, d.url ?? '']));
      return 0;
    }
    default:
      throw new CliError(sub ? `unknown subcommand "domains ${sub}"\n${usage}` : usage);
  }
}
