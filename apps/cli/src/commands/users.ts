/** berth users create [--owner] <email> | users list */
import { berth, CliError } from '../berth-api.ts';
import { parseArgs } from '../args.ts';
import { bold, dim, say } from '../output.ts';
import { terminalSafe } from '../terminal-text.ts';

const usage = 'usage: berth users create [--owner] <email> | berth users list';

interface UserView {
  id: string;
  email: string;
  role: 'owner' | 'member';
  hasPassword: boolean;
  disabledAt: string | null;
}

interface Invited {
  user: UserView;
  link: { url: string; expiresAt: string };
}

/**
 * People, from the operator's shell: `users create --owner EMAIL` makes the
 * first owner on a fresh installation (with the admin token `npm run up`
 * keeps in .berth/admin-token) and prints the one-time link that sets the
 * password. Later owners invite from the dashboard, or the same way.
 */
export async function users(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'create') return create(rest);
  if (sub === 'list' || sub === 'ls') return list();
  throw new CliError(usage);
}

async function create(args: string[]): Promise<number> {
  const a = parseArgs(args, { usage, booleans: ['owner'] });
  if (a.positional.length !== 1) throw new CliError(usage);
  const email = a.positional[0]!;
  const role = a.has('owner') ? 'owner' : 'member';
  const invited = await berth((api) => api.request<Invited>('POST', '/api/users', { email, role }));
  say(`${bold(terminalSafe(invited.user.email))} (${invited.user.role}, ${invited.user.id})`);
  say(`One-time link to set the password (works once, until ${invited.link.expiresAt}):`);
  say(`  ${terminalSafe(invited.link.url)}`);
  say(dim('Pass it on privately: whoever opens it first sets the password.'));
  return 0;
}

async function list(): Promise<number> {
  const { items } = await berth((api) => api.request<{ items: UserView[] }>('GET', '/api/users'));
  for (const u of items) {
    const state = u.disabledAt ? 'disabled' : u.hasPassword ? 'active' : 'invited';
    say(`${u.id}  ${terminalSafe(u.email)}  ${u.role}  ${dim(state)}`);
  }
  return 0;
}
