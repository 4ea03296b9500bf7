import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import { callApi, releaseAppDir } from '@berth/testing/deployments';
import { startGitServer, type GitServer } from '@berth/testing/git-server';
import { request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { startStack, type Stack } from '@berth/testing/stack';

// Deploy on push and outgoing webhooks, on the real stack, a real git daemon and a local receiver:
// shared by git-hooks.test.ts and webhooks.test.ts (each file its own stack).
export let stack: Stack;
export let git: GitServer;

/** Starts the file's git server and stack before its tests, closes them after; `env` adds settings. */
export function useGitHookStack(env: Record<string, string> = {}): void {
  beforeAll(async () => {
    git = await startGitServer();
    stack = await startStack({
      workers: 2,
      env: { WEBHOOK_ALLOW_PRIVATE_HOSTS: 'true', WEBHOOK_RETRY_BASE_MS: '300', WEBHOOK_TIMEOUT_MS: '1500', DRAIN_MS: '1000', REAPER_INTERVAL_MS: '500', ...env },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await git?.stop();
  });
}

export const api = (method: string, url: string, payload?: unknown) => callApi(stack, method, url, payload);
export const source = releaseAppDir;
export const through = (label: string, path = '/') => request(`${stack.caddyUrl}${path}`, { host: `${label}.localhost` });
export const serving = (label: string, version: string, timeoutMs = 20_000) =>
  waitFor(`${label} to serve ${version}`, async () => (await through(label)).body === version, timeoutMs, 50);

/** A project on a fresh repository; returns its hook secret. */
export async function gitProject(name: string): Promise<{ url: string; secret: string }> {
  const url = git.publish(name, source('p0'));
  const res = await api('POST', '/api/projects', { name, gitUrl: url, ref: 'main', healthPath: '/healthz' });
  expect(res.status).toBe(201);
  expect(res.body.hookUrl).toBe(`http://localhost:${stack.caddy!.httpPort}/api/hooks/git/${name}`);
  return { url, secret: res.body.hookSecret };
}

/** Sends a delivery as a git host would (raw JSON body, its headers). */
export async function deliver(project: string, body: unknown, headers: Record<string, string>) {
  const res = await stack.inject({
    method: 'POST',
    url: `/api/hooks/git/${project}`,
    headers: { 'content-type': 'application/json', authorization: '', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.statusCode, body: res.json() };
}
export const hmac = (secret: string, raw: string) => createHmac('sha256', secret).update(raw).digest('hex');
export function githubPush(secret: string, branch: string, sha: string, message = 'a change') {
  const raw = JSON.stringify({ ref: `refs/heads/${branch}`, after: sha, deleted: false, head_commit: { id: sha, message, author: { name: 'Ada' } } });
  return { raw, headers: { 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': `sha256=${hmac(secret, raw)}` } };
}
