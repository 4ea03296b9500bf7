/** berth domains add | verify | rm | ls: a project's custom hostnames. */
import type { Domain } from '@berth/client/types';
import { berth, CliError } from '../berth-api.ts';
import { parseArgs } from '../args.ts';
import { bold, dim, say, table } from '../output.ts';

const usage = 'usage: berth domains add <project> <hostname> | verify <project> <hostname> | rm <project> <hostname> | ls <project>';

/** What to do next for a pending domain: the record to create and the command that checks it. */
function sayPending(project: string, d: Domain): void {
  if (d.status !== 'pending' || !d.verification) return;
  say(`pending: create a DNS TXT record ${bold(d.verification.name)} with the value ${bold(d.verification.value)}`);
  say(dim(`then: berth domains verify ${project} ${d.hostname}`));
}

export async function domains(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const a = parseArgs(rest, { usage });
  const [project, hostname, ...extra] = a.positional;
  switch (sub) {
    case 'add': {
      if (!project || !hostname || extra.length) throw new CliError(usage);
      const d = await berth((api) => api.addDomain(project, hostname));
      say(`added ${bold(d.hostname)} to ${bold(project)}  ${d.url ?? ''}`.trimEnd());
      sayPending(project, d);
      return 0;
    }
    case 'verify': {
      if (!project || !hostname || extra.length) throw new CliError(usage);
      const d = await berth((api) => api.verifyDomain(project, hostname));
      say(`verified ${bold(d.hostname)}: served at ${d.url ?? ''}`);
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
      else table(items.map((d) => [d.hostname, d.url ?? '', d.status]));
      return 0;
    }
    default:
      throw new CliError(sub ? `unknown subcommand "domains ${sub}"\n${usage}` : usage);
  }
}
