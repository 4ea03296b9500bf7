import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from '@berth/testing/deployments';
import { startStack, type Stack } from '@berth/testing/stack';

// Issue 27, item 5: a monorepo project's watchPaths. A push whose changed files match none builds
// nothing (the hook answers `skipped`, the project shows it as lastSkippedPush); one that touches a
// watched path, or whose changed files the payload cannot tell, builds. Builds are canceled at once:
// what is checked is whether one was made.
let stack: Stack;
let secret: string;
const api = (method: string, url: string, payload?: unknown) => callApi(stack, method, url, payload);
const sha = () => randomBytes(20).toString('hex');
const sign = (raw: string) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

async function push(body: Record<string, unknown>, github = true) {
  const raw = JSON.stringify(body);
  const headers = github
    ? { 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': sign(raw) }
    : { 'x-berth-delivery': randomUUID(), 'x-berth-signature': sign(raw) };
  const res = await stack.inject({ method: 'POST', url: '/api/hooks/git/mono', headers: { 'content-type': 'application/json', authorization: '', ...headers }, payload: raw });
  const answer = res.json();
  if (answer.deploymentId) await api('POST', `/api/deployments/${answer.deploymentId}/cancel`);
  return { status: res.statusCode, body: answer };
}
const githubPush = (after: string, files: string[]) => ({ ref: 'refs/heads/main', after, commits: [{ id: after, message: 'm', author: { name: 'A' }, added: [], modified: files, removed: [] }] });
const deploymentCount = async () => (await api('GET', '/api/deployments?project=mono&limit=100')).body.items.length as number;

beforeAll(async () => {
  stack = await startStack({ router: false, workers: 1 });
  const res = await api('POST', '/api/projects', { name: 'mono', gitUrl: 'https://git.example.invalid/acme/mono.git', rootDir: 'apps/web' });
  expect(res.status).toBe(201);
  secret = res.body.hookSecret;
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

describe('monorepo watch paths (issue 27)', () => {
  it('are checked: relative globs only', async () => {
    for (const watchPaths of [['/abs'], ['../up'], ['!apps/web'], [], ['a'.repeat(201)], 'apps/web']) {
      const res = await api('PATCH', '/api/projects/mono', { watchPaths });
      expect(res, JSON.stringify(watchPaths)).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    }
    const set = await api('PATCH', '/api/projects/mono', { watchPaths: ['apps/web', 'packages/**'] });
    expect(set.body).toMatchObject({ watchPaths: ['apps/web', 'packages/**'], lastSkippedPush: null });
  });

  it('a push touching only another folder builds nothing, and says so; one touching a watched path builds', async () => {
    const before = await deploymentCount();
    const skippedSha = sha();
    const skipped = await push(githubPush(skippedSha, ['apps/api/src/index.ts', 'README.md']));
    expect(skipped).toMatchObject({ status: 200, body: { action: 'skipped' } });
    expect(skipped.body.reason).toMatch(/none of the 2 changed files matches watchPaths/);
    expect(await deploymentCount()).toBe(before);
    const project = (await api('GET', '/api/projects/mono')).body;
    expect(project.lastSkippedPush).toMatchObject({ sha: skippedSha, branch: 'main', reason: skipped.body.reason });

    expect(await push(githubPush(sha(), ['apps/api/a.ts', 'apps/web/src/page.tsx']))).toMatchObject({ status: 202, body: { action: 'deploy' } });
    expect(await push({ ref: 'main', sha: sha(), changedFiles: ['packages/ui/button.ts'] }, false)).toMatchObject({ status: 202, body: { action: 'deploy' } });
    expect(await push({ ref: 'main', sha: sha(), changedFiles: ['docs/x.md'] }, false)).toMatchObject({ status: 200, body: { action: 'skipped' } });
    expect(await deploymentCount()).toBe(before + 2);
  });

  it('builds when the payload cannot tell what changed, or when watchPaths are cleared', async () => {
    expect(await push({ ref: 'refs/heads/main', after: sha(), commits: [] })).toMatchObject({ status: 202, body: { action: 'deploy' } });
    expect(await push({ ref: 'main', sha: sha() }, false)).toMatchObject({ status: 202 });
    expect((await api('PATCH', '/api/projects/mono', { watchPaths: null })).body.watchPaths).toBeNull();
    expect(await push(githubPush(sha(), ['apps/api/only.ts']))).toMatchObject({ status: 202, body: { action: 'deploy' } });
  });
});
