/** berth scale <deployment-id|project> <n> */
import { berth, CliError } from '../berth-api.ts';
import { parseArgs } from '../args.ts';
import { bold, dim, say } from '../output.ts';

const usage = 'usage: berth scale <deployment-id|project> <replicas>';

/**
 * A project name scales the project (its current release at once, and new
 * releases); anything else is taken as a deployment id. The API checks the
 * count (INVALID_REPLICAS, REPLICAS_NEED_SWARM), so its message is the one
 * printed; here only "is it a whole number at all" is checked.
 */
export async function scale(args: string[]): Promise<number> {
  const a = parseArgs(args, { usage });
  if (a.positional.length !== 2) throw new CliError(usage);
  const [target, count] = a.positional as [string, string];
  if (!/^\d{1,6}$/.test(count)) throw new CliError(`replicas must be a whole number, not "${count}"\n${usage}`);
  const replicas = Number(count);
  if (await isProject(target)) {
    const p = await berth((api) => api.scaleProject(target, replicas));
    const current = p.currentDeployment ? ` (current release ${p.currentDeployment.id} scales to it now)` : '';
    say(`${bold(p.name)}: ${p.replicas} ${p.replicas === 1 ? 'replica' : 'replicas'}${current}`);
    return 0;
  }
  const d = await berth((api) => api.scaleDeployment(target, replicas));
  say(`${bold(d.id)}: ${d.replicas} ${d.replicas === 1 ? 'replica' : 'replicas'} ${dim(`(${d.project}, ${d.status})`)}`);
  return 0;
}

async function isProject(name: string): Promise<boolean> {
  try {
    await berth((api) => api.getProject(name));
    return true;
  } catch (err) {
    if (err instanceof CliError && err.message.startsWith('404 ')) return false;
    throw err;
  }
}
