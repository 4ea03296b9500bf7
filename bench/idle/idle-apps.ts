/**
 * The apps the idle benchmark leaves running: test-apps/hello (a Dockerfile with nothing to install:
 * cheap to build, a Node server that prints one line and then only answers requests), one project
 * each, deployed through the API as a client deploys (one POST after another; the workers build them
 * as they can); then awaited until every one runs and nothing is in flight. At most 100 (one page of
 * the API's list).
 */
import type { ApiClient } from '@berth/client/api-client';
import { isInFlight } from '@berth/shared/deployment-state';
import { zipTestApp } from '@berth/testing/archives';

/** `count` projects idle-1..idle-<count>, each with one release of hello; their deployment ids. */
export async function deployApps(api: ApiClient, count: number): Promise<string[]> {
  const archive = await zipTestApp('hello');
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    const form = new FormData();
    form.append('name', `idle-${i}`);
    form.append('projectArchive', new Blob([new Uint8Array(archive)]), 'app.zip');
    ids.push((await api.createDeployment(form)).id);
  }
  return ids;
}

/** Until every deployment in `ids` runs and no deployment of the platform is in flight; throws on one that ended otherwise. */
export async function awaitRunning(api: ApiClient, ids: readonly string[], timeoutMs: number, progress: (what: string) => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastSaid = 0;
  for (;;) {
    // One page holds them all: the benchmark's platform has no other deployments.
    const items = (await api.listDeployments({ limit: 100 })).items;
    const ours = items.filter((d) => ids.includes(d.id));
    const ended = ours.find((d) => !isInFlight(d.status) && d.status !== 'running');
    if (ended) throw new Error(`deployment ${ended.id} (${ended.project}) ended ${ended.status} instead of running`);
    const running = ours.filter((d) => d.status === 'running').length;
    if (running === ids.length && !items.some((d) => isInFlight(d.status))) return;
    if (Date.now() > deadline) throw new Error(`timed out: ${running} of ${ids.length} apps running`);
    if (Date.now() - lastSaid > 15_000) {
      progress(`${running} of ${ids.length} apps running`);
      lastSaid = Date.now();
    }
    await pause(1000);
  }
}

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
