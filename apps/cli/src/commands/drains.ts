/** berth drains <project> [ls | add <url> | rm <id> | resume <id>]: where a project's log lines are also sent (docs/drains.md). */
import type { LogDrain } from '@berth/client/types';
import { seg } from '@berth/client/api-client';
import { parseArgs } from '../args.ts';
import { berth, CliError } from '../berth-api.ts';
import { bold, dim, say, table } from '../output.ts';

const usage = 'usage: berth drains <project> [ls | add <syslog+tcp://…|syslog+tls://…|https://…> | rm <drain id> | resume <drain id>]';

export async function drains(args: string[]): Promise<number> {
  const a = parseArgs(args, { usage, booleans: [], values: [] });
  const [project, sub = 'ls', arg, ...extra] = a.positional;
  if (!project || extra.length) throw new CliError(usage);
  const path = `/api/projects/${seg(project)}/drains`;
  switch (sub) {
    case 'ls':
    case 'list': {
      if (arg) throw new CliError(usage);
      const { items } = await berth((api) => api.request<{ items: LogDrain[] }>('GET', path));
      if (!items.length) say(dim(`no log drains on ${project}: berth drains ${project} add syslog+tls://logs.example.com:6514`));
      else table(items.map((d) => [d.id, d.url, d.status, d.deliveredAt ? `delivered ${d.deliveredAt}` : 'nothing delivered yet', d.lastError ?? '']));
      return 0;
    }
    case 'add': {
      if (!arg) throw new CliError(usage);
      const d = await berth((api) => api.request<LogDrain>('POST', path, { url: arg }));
      say(`added drain ${bold(d.id)} to ${bold(project)}: every build and runtime line goes to ${d.url}`);
      // Shown once: the receiver checks each batch's X-Berth-Signature with it.
      if (d.secret) say(`signing secret (shown only now): ${bold(d.secret)}`);
      return 0;
    }
    case 'rm':
    case 'resume': {
      if (!arg) throw new CliError(usage);
      const d = await berth((api) => (sub === 'rm' ? api.request<LogDrain>('DELETE', `${path}/${seg(arg)}`) : api.request<LogDrain>('POST', `${path}/${seg(arg)}/resume`)));
      say(sub === 'rm' ? `removed drain ${bold(d.id)} (${d.url})` : `drain ${bold(d.id)} is tried again now`);
      return 0;
    }
    default:
      throw new CliError(`unknown subcommand "drains ${project} ${sub}"\n${usage}`);
  }
}
