import { afterAll, beforeAll } from 'vitest';
import { zipTestApp } from '@berth/testing/archives';
import { callApi } from '@berth/testing/deployments';
import { multipartBody, request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { startStack, type Stack } from '@berth/testing/stack';
import { startGitServer, type GitServer } from '@berth/testing/git-server';

// Projects and their releases on the real stack: API, two workers, router-sync and a private Caddy.
// Shared by projects.test.ts, releases.test.ts and release-switching.test.ts (each file its own stack).
export let stack: Stack;
export let git: GitServer;

/** Starts the file's stack (and a git server when its tests deploy from git) before its tests, closes them after; `env` adds settings. */
export function useReleaseStack(options: { git?: boolean; env?: Record<string, string>; runtime?: 'docker' | 'swarm' } = {}): void {
  beforeAll(async () => {
    if (options.git) git = await startGitServer();
    stack = await startStack({
      workers: 2,
      ...(options.runtime ? { runtime: options.runtime } : {}),
      // A health check timeout a loaded machine's app start stays well inside (the unhealthy release waits it out).
      env: { DRAIN_MS: '1500', RELEASES_KEPT: '4', REAPER_INTERVAL_MS: '500', HEALTHCHECK_TIMEOUT_MS: '10000', ...options.env },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await git?.stop();
  });
}

export const api = (method: string, url: string, payload?: unknown) => callApi(stack, method, url, payload);

export async function createProject(body: Record<string, unknown>): Promise<any> {
  const res = await api('POST', '/api/projects', body);
  if (res.status !== 201) throw new Error(`create project answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Deploys `version` of test-apps/release as an archive to the project; returns the deployment. */
export async function deployVersion(project: string, version: string, fields: Record<string, string> = {}): Promise<any> {
  const archive = await zipTestApp('release', { 'version.txt': version });
  const res = await stack.inject({
    method: 'POST',
    url: `/api/projects/${project}/deployments`,
    ...(await multipartBody(fields, { name: 'app.zip', data: archive })),
  });
  if (res.statusCode !== 202) throw new Error(`deploy answered ${res.statusCode}: ${res.body}`);
  return res.json();
}

export const through = (project: string, path = '/') => request(`${stack.caddyUrl}${path}`, { host: `${project}.localhost` });
export const serving = (project: string, version: string, timeoutMs = 30_000) =>
  waitFor(`${project} to serve ${version}`, async () => (await through(project)).body === version, timeoutMs, 25);
