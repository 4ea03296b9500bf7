/** berth logs | list | cancel | rm: one deployment at a time. */
import { berth, CliError, streamEvents } from '../berth-api.ts';
import { parseArgs } from '../args.ts';
import { bold, dim, printLine, say } from '../output.ts';

export async function logs(args: string[]): Promise<number> {
  const usage = 'usage: berth logs <id> [--follow]';
  const a = parseArgs(args, { booleans: ['follow'], usage });
  const id = a.positional[0];
  if (!id) throw new CliError(usage);
  if (a.has('follow')) {
    await streamEvents(`/api/deployments/${id}/events?follow=runtime`, (e) => {
      if (e.event === 'log') printLine(e.data);
      else if (e.event === 'status') process.stdout.write(`${dim('berth')} → ${bold(e.data.status)}\n`);
    });
  } else {
    let since = 0;
    for (;;) {
      const page = await berth((api) => api.getDeploymentLogs(id, { since, limit: 10000 }));
      page.lines.forEach(printLine);
      if (!page.hasMore) break;
      since = page.nextSince;
    }
  }
  return 0;
}

export async function list(): Promise<number> {
  const page = await berth((api) => api.listDeployments({ limit: 50 }));
  for (const d of page.items) say(`${d.id}  ${d.status.padEnd(9)} ${d.project.padEnd(20)} ${d.url}`);
  return 0;
}

export async function stop(command: 'cancel' | 'rm', args: string[]): Promise<number> {
  const id = args[0];
  if (!id) throw new CliError(`usage: berth ${command} <id>`);
  const d = await berth((api) => (command === 'cancel' ? api.cancelDeployment(id) : api.stopDeployment(id)));
  say(`${d.id} ${d.status}`);
  return 0;
}
