import { zipTestApp } from '@berth/testing/archives';
import { logLines, settled } from '@berth/testing/deployments';
import { multipartBody } from '@berth/testing/http';
import { stack, through } from './releases-setup.ts';

// test-apps/counter (a count kept on a volume, a release command in berth.json) on a releases stack:
// shared by volumes.test.ts and release-command.test.ts.

/** Deploys `version` of test-apps/counter to the project (`{ promote: 'false' }`: a preview); returns the deployment. */
export async function deployCounter(project: string, version: string, fields: Record<string, string> = {}): Promise<any> {
  const archive = await zipTestApp('counter', { 'version.txt': version });
  const res = await stack.inject({ method: 'POST', url: `/api/projects/${project}/deployments`, ...(await multipartBody(fields, { name: 'app.zip', data: archive })) });
  if (res.statusCode !== 202) throw new Error(`deploy answered ${res.statusCode}: ${res.body}`);
  return res.json();
}

/** One GET /hit through Caddy: the count after it. */
export async function hit(project: string): Promise<number> {
  const res = await through(project, '/hit');
  if (res.status !== 200) throw new Error(`/hit answered ${res.status}: ${res.body}`);
  return Number(res.body);
}

/** Counts up on the project's volume: each call hits 3 times, each count above the one before; `last()` is the highest. */
export function counting(project: string): { countUp(): Promise<void>; last(): number } {
  let last = 0;
  return {
    async countUp() {
      for (let i = 0; i < 3; i++) {
        const n = await hit(project);
        if (!(n > last)) throw new Error(`/hit on ${project} counted ${n} after ${last}: the volume's count went back`);
        last = n;
      }
    },
    last: () => last,
  };
}

/** What the release serving the project URL holds on its volume. */
export async function state(project: string): Promise<{ version: string; count: number; migrations: string }> {
  return JSON.parse((await through(project, '/state')).body);
}

/**
 * The deployment once it settles (a loaded machine builds slowly: 180 s); one that does not says
 * where it stood and its last log lines.
 */
export async function settledOrSay(id: string): Promise<any> {
  try {
    return await settled(stack, id, 180_000);
  } catch (err) {
    const now = (await stack.inject({ method: 'GET', url: `/api/deployments/${id}` })).json();
    const tail = (await logLines(stack, id)).slice(-15).map((l) => l.line);
    throw new Error(`${(err as Error).message}: ${now.status}\n${tail.join('\n')}`, { cause: err });
  }
}
