import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, releaseAppDir, settled } from '@berth/testing/deployments';
import { startGitServer, type GitServer } from '@berth/testing/git-server';
import { request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { startStack, type Stack } from '@berth/testing/stack';

let stack: Stack;
let git: GitServer;
beforeAll(async () => {
  git = await startGitServer();
  stack = await startStack({ workers: 2, env: { DRAIN_MS: '1000', REAPER_INTERVAL_MS: '500' } });
});
afterAll(async () => {
  await stack?.close();
  await git?.stop();
});

const api = (method: string, url: string, payload?: unknown) => callApi(stack, method, url, payload);
const through = (label: string) => request(`${stack.caddyUrl}/`, { host: `${label}.localhost` });
const hmac = (secret: string, raw: string) => createHmac('sha256', secret).update(raw).digest('hex');

async function gitProject(name: string): Promise<string> {
  const url = git.publish(name, releaseAppDir('p0'));
  const res = await api('POST', '/api/projects', { name, gitUrl: url, ref: 'main', healthPath: '/healthz' });
  expect(res.status).toBe(201);
  return res.body.hookSecret;
}
async function deliver(project: string, raw: string, headers: Record<string, string>) {
  const res = await stack.inject({
    method: 'POST',
    url: `/api/hooks/git/${project}`,
    headers: { 'content-type': 'application/json', authorization: '', ...headers },
    payload: raw,
  });
  return { status: res.statusCode, body: res.json() };
}
function githubPush(secret: string, branch: string, sha: string) {
  const raw = JSON.stringify({ ref: `refs/heads/${branch}`, after: sha, deleted: false, head_commit: { id: sha, message: 'm', author: { name: 'Ada' } } });
  return { raw, headers: { 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': `sha256=${hmac(secret, raw)}` } };
}

describe('incoming git hooks: abuse', () => {
  it('a captured signed delivery cannot be replayed by changing only the (unsigned) delivery-id header', async () => {
    const secret = await gitProject('replay-hdr');
    const sha = git.push('replay-hdr', releaseAppDir('r1'), 'main');
    const good = githubPush(secret, 'main', sha);
    expect((await deliver('replay-hdr', good.raw, good.headers)).status).toBe(202);
    // Same bytes, same signature; only X-GitHub-Delivery (not covered by the HMAC) changed.
    const replay = await deliver('replay-hdr', good.raw, { ...good.headers, 'x-github-delivery': randomUUID() });
    expect(replay.status).toBe(409);
    // Same for the generic shape: X-Berth-Delivery is outside the signature and there is no timestamp.
    const generic = JSON.stringify({ ref: 'main', sha });
    const sig = { 'x-berth-signature': `sha256=${hmac(secret, generic)}` };
    expect((await deliver('replay-hdr', generic, { ...sig, 'x-berth-delivery': 'one' })).status).toBe(202);
    expect((await deliver('replay-hdr', generic, { ...sig, 'x-berth-delivery': 'two' })).status).toBe(409);
  }, 60_000);

  it('deleting a branch whose preview was promoted to production does not take production down', async () => {
    const secret = await gitProject('promoted-prev');
    const main = git.push('promoted-prev', releaseAppDir('live1'), 'main');
    const m = githubPush(secret, 'main', main);
    expect((await settled(stack, (await deliver('promoted-prev', m.raw, m.headers)).body.deploymentId)).status).toBe('running');

    const b = git.push('promoted-prev', releaseAppDir('feat1'), 'feat');
    const p = githubPush(secret, 'feat', b);
    const preview = await deliver('promoted-prev', p.raw, p.headers);
    expect(preview.body.action).toBe('preview');
    expect((await settled(stack, preview.body.deploymentId)).status).toBe('running');
    // The operator ships the reviewed preview (documented: promote takes a preview).
    expect((await api('POST', `/api/deployments/${preview.body.deploymentId}/promote`)).status).toBe(200);
    await waitFor('project serves feat1', async () => (await through('promoted-prev')).body === 'feat1', 20_000, 50);

    // The PR is merged and its branch deleted on the git host: a normal signed delete event.
    const raw = JSON.stringify({ ref: 'refs/heads/feat', after: '0'.repeat(40), deleted: true });
    const del = await deliver('promoted-prev', raw, { 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': `sha256=${hmac(secret, raw)}` });
    expect(del.status).toBe(200);
    expect(del.body.stopped).not.toContain(preview.body.deploymentId);
    const current = await api('GET', '/api/projects/promoted-prev');
    expect(current.body.currentDeployment?.id).toBe(preview.body.deploymentId);
    expect((await api('GET', `/api/deployments/${preview.body.deploymentId}`)).body.status).toBe('running');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await through('promoted-prev')).body).toBe('feat1');
  }, 120_000);
});
