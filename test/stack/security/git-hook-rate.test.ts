import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, releaseAppDir } from '@berth/testing/deployments';
import { startGitServer, type GitServer } from '@berth/testing/git-server';
import { clearOfWindowEnd } from '@berth/testing/rate-window';
import { startStack, type Stack } from '@berth/testing/stack';

let stack: Stack;
let git: GitServer;
beforeAll(async () => {
  git = await startGitServer();
  // No workers (nothing builds); the API's deploy rate limit set low.
  stack = await startStack({ workers: 0, env: { DEPLOY_RATE_LIMIT: '5', DEPLOY_RATE_WINDOW_MS: '600000' } });
});
afterAll(async () => {
  await stack?.close();
  await git?.stop();
});

describe('incoming git hooks: rate', () => {
  it('pushes are subject to the deploy rate limit like every other way to start a build', async () => {
    const url = git.publish('hook-rate', releaseAppDir('p0'));
    const created = await callApi(stack, 'POST', '/api/projects', { name: 'hook-rate', gitUrl: url, ref: 'main' });
    expect(created.status).toBe(201);
    const secret: string = created.body.hookSecret;
    await clearOfWindowEnd(600_000);
    const statuses: number[] = [];
    // Each branch is its own lane: coalescing never cancels one for another, and every preview keeps running until its branch is deleted.
    for (let i = 0; i < 20; i++) {
      const raw = JSON.stringify({ ref: `refs/heads/b${i}`, after: 'a'.repeat(40), head_commit: { id: 'a'.repeat(40), message: 'x' } });
      const res = await stack.inject({
        method: 'POST',
        url: '/api/hooks/git/hook-rate',
        headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}` },
        payload: raw,
      });
      statuses.push(res.statusCode);
    }
    const queued = (await stack.db.store.list({ limit: 100, project: 'hook-rate' })).items.filter((d) => d.status === 'queued').length;
    expect(statuses, `statuses ${statuses.join(',')}; ${queued} queued`).toContain(429);
    expect(queued).toBeLessThanOrEqual(5);
  }, 60_000);
});

describe('incoming git hooks: delivery ids', () => {
  it('a delivery that was refused (not acted on) can be redelivered by the git host with the same delivery id', async () => {
    const created = await callApi(stack, 'POST', '/api/projects', { name: 'hook-redo' });
    expect(created.status).toBe(201);
    const secret: string = created.body.hookSecret;
    const raw = JSON.stringify({ ref: 'refs/heads/main', after: 'b'.repeat(40), head_commit: { id: 'b'.repeat(40), message: 'x' } });
    const headers = { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}` };
    const first = await stack.inject({ method: 'POST', url: '/api/hooks/git/hook-redo', headers, payload: raw });
    expect(first.statusCode).toBe(409); // no gitUrl yet: nothing was done
    const url = git.publish('hook-redo', releaseAppDir('p0'));
    expect((await callApi(stack, 'PATCH', '/api/projects/hook-redo', { gitUrl: url })).status).toBe(200);
    // GitHub's "Redeliver" button re-sends with the same X-GitHub-Delivery.
    const again = await stack.inject({ method: 'POST', url: '/api/hooks/git/hook-redo', headers, payload: raw });
    expect(again.json()).not.toMatchObject({ error: { message: expect.stringMatching(/received already/) } });
    expect(again.statusCode).toBe(202);
  }, 60_000);
});
