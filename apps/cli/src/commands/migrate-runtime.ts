/** berth migrate-runtime <swarm|docker>: every live deployment moved to the installation's runtime, one at a time. */
import type { Deployment } from '@berth/client/types';
import { berth, CliError } from '../berth-api.ts';
import { parseArgs } from '../args.ts';
import { bold, note, say } from '../output.ts';

const usage = 'usage: berth migrate-runtime <swarm|docker>';
const inFlight = new Set(['queued', 'fetching', 'building', 'starting']);

/**
 * Run after restarting the installation with the new BERTH_RUNTIME (issue 26): each running
 * deployment the other runtime started is started again here from its image (POST
 * /api/deployments/:id/move), takes its URL once it answers, and the old one drains, then
 * stops. One at a time, each waited for; a move that fails leaves the old one serving.
 */
export async function migrateRuntime(args: string[]): Promise<number> {
  const a = parseArgs(args, { usage });
  const runtime = a.positional[0];
  if ((runtime !== 'swarm' && runtime !== 'docker') || a.positional.length !== 1) throw new CliError(usage);
  let moved = 0;
  let failed = 0;
  for (const d of await liveDeployments()) {
    const next = await berth((api) => api.request<Deployment>('POST', `/api/deployments/${d.id}/move`, { runtime }));
    if (next.id === d.id) continue; // on this runtime already
    note(`${d.project}: ${d.id} → ${bold(next.id)}`);
    const final = await settled(next.id);
    if (final.status === 'running') moved++;
    else {
      failed++;
      say(`${next.id} ${final.status} ${final.errorCode ?? ''}: ${final.errorMessage ?? ''} (${d.id} keeps serving)`);
    }
  }
  say(`${moved} moved to ${runtime}${failed ? `, ${failed} failed` : ''}`);
  return failed ? 1 : 0;
}

/** Running deployments that still serve (a draining one stops by itself). */
async function liveDeployments(): Promise<Deployment[]> {
  const all: Deployment[] = [];
  let cursor: string | undefined;
  do {
    const page = await berth((api) => api.listDeployments({ status: 'running', limit: 100, ...(cursor ? { cursor } : {}) }));
    all.push(...page.items.filter((d) => !d.retiredAt));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

async function settled(id: string): Promise<Deployment> {
  for (;;) {
    const d = await berth((api) => api.getDeployment(id));
    if (!inFlight.has(d.status)) return d;
    await new Promise((r) => setTimeout(r, 500));
  }
}
