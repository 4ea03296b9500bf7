import { describe, expect, it } from 'vitest';
import { settled } from '@berth/testing/deployments';
import { waitFor } from '@berth/testing/ports';
import { api, deliver, git, gitProject, githubPush, serving, source, stack, through, useGitHookStack } from './git-hooks-setup.ts';

// Previews are not production (issue 25): only the newest preview of a branch keeps running (older ones
// drain, then stop), and at most MAX_PREVIEWS_PER_PROJECT previews of a project run at once (here 2).
useGitHookStack({ MAX_PREVIEWS_PER_PROJECT: '2' });

const status = async (id: string): Promise<string> => (await api('GET', `/api/deployments/${id}`)).body.status;
const stopped = (id: string, timeoutMs = 15_000) => waitFor(`${id} to stop`, async () => (await status(id)) === 'stopped', timeoutMs);

/** Pushes `version` to a branch of the project and delivers the push; returns the preview once it runs, and its label. */
async function pushPreview(project: string, secret: string, branch: string, version: string): Promise<{ id: string; label: string }> {
  const sha = git.push(project, source(version), branch);
  const push = githubPush(secret, branch, sha);
  const res = await deliver(project, push.raw, push.headers);
  expect(res).toMatchObject({ status: 202, body: { action: 'preview' } });
  expect((await settled(stack, res.body.deploymentId, 150_000)).status).toBe('running');
  const label = new URL(res.body.url).hostname.replace('.localhost', '');
  await serving(label, version);
  return { id: res.body.deploymentId, label };
}

let hookSecret = '';
let branchNewest = '';

describe('preview limits', () => {
  it("a branch push preview runs without the production env, and the branch's newer preview stops the older after the drain", async () => {
    hookSecret = (await gitProject('lim')).secret;
    expect((await api('PUT', '/api/projects/lim/env', { env: { SECRET_TOKEN: 'sk-lim-prod' } })).status).toBe(200);
    const first = await pushPreview('lim', hookSecret, 'feat', 'f1');
    expect(JSON.parse((await through(first.id, '/info')).body)).toMatchObject({ version: 'f1', secret: null });

    const second = await pushPreview('lim', hookSecret, 'feat', 'f2');
    branchNewest = second.id;
    // The older one was retired when the newer went live: it drains (DRAIN_MS), then stops; the newer keeps running.
    expect((await api('GET', `/api/deployments/${first.id}`)).body.retiredAt).not.toBeNull();
    await stopped(first.id);
    expect(await status(second.id)).toBe('running');
    expect((await through(second.label)).body).toBe('f2');
  }, 400_000);

  it('past MAX_PREVIEWS_PER_PROJECT (2 here) the oldest preview stops when a new one goes live', async () => {
    const b = await pushPreview('lim', hookSecret, 'branch-b', 'b1');
    expect(await status(branchNewest)).toBe('running'); // two previews: within the limit
    const c = await pushPreview('lim', hookSecret, 'branch-c', 'c1');
    await stopped(branchNewest, 5_000); // the oldest, stopped at once (not after a drain)
    expect(await status(b.id)).toBe('running');
    expect(await status(c.id)).toBe('running');
    // Another project's previews are counted apart.
    const other = await gitProject('lim2');
    const o = await pushPreview('lim2', other.secret, 'x', 'x1');
    expect(await status(o.id)).toBe('running');
    expect(await status(b.id)).toBe('running');
  }, 500_000);
});
