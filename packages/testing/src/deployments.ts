import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testAppsDir } from './archives.ts';
import { isInFlight } from '@berth/shared/deployment-state';
import type { DeploymentRow } from '@berth/shared/db';
import type { NewDeployment } from '@berth/shared/deployment-store';
import { enqueueDeployment } from '@berth/shared/jobs';
import { multipartBody } from './http.ts';
import { runtimeWait } from './runtime-wait.ts';
import { waitFor } from './ports.ts';
import type { Stack } from './stack.ts';

/** Creates a deployment through the API (inject) and returns its JSON. */
export async function createDeployment(
  stack: Stack,
  source: { archive: Buffer; filename?: string; fields?: Record<string, string> } | Record<string, unknown>,
): Promise<any> {
  const res =
    'archive' in source && Buffer.isBuffer(source.archive)
      ? await stack.inject({
          method: 'POST',
          url: '/api/deployments',
          ...(await multipartBody((source.fields as Record<string, string>) ?? {}, {
            name: (source.filename as string) ?? 'app.zip',
            data: source.archive,
          })),
        })
      : await stack.inject({ method: 'POST', url: '/api/deployments', payload: source });
  if (res.statusCode !== 202) throw new Error(`create answered ${res.statusCode}: ${res.body}`);
  return res.json();
}

/** Waits until the deployment leaves the in-flight states; returns the API's view of it. */
export async function settled(stack: Stack, id: string, timeoutMs = runtimeWait(45_000)): Promise<any> {
  let last: { status?: string } = {};
  return waitFor(
    `deployment ${id} to settle`,
    async () => {
      last = (await stack.inject({ method: 'GET', url: `/api/deployments/${id}` })).json();
      return last.status === undefined || isInFlight(last.status as DeploymentRow['status']) ? undefined : last;
    },
    timeoutMs,
    50,
  ).catch(async (err: Error) => {
    // Where it stood: a timeout in CI should say which step it was in.
    const tail = (await logLines(stack, id).catch(() => [])).slice(-8).map((l) => `  ${l.stream}: ${l.line}`);
    throw new Error(`${err.message} (still ${last.status ?? 'unknown'}; its last log lines:\n${tail.join('\n')})`);
  });
}

export async function logLines(stack: Stack, id: string): Promise<{ seq: number; stream: string; line: string }[]> {
  return (await stack.inject({ method: 'GET', url: `/api/deployments/${id}/logs?limit=10000` })).json().lines;
}

/** An API call through inject with the admin token: status and parsed body. */
export async function callApi(stack: Stack, method: string, url: string, payload?: unknown): Promise<{ status: number; body: any }> {
  const res = await stack.inject({ method: method as 'GET', url, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: res.body ? res.json() : undefined };
}

/** A copy of test-apps/release saying `version` (for git repositories of it). */
export function releaseAppDir(version: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-release-src-'));
  cpSync(path.join(testAppsDir, 'release'), dir, { recursive: true });
  writeFileSync(path.join(dir, 'version.txt'), version);
  return dir;
}

/**
 * A deployment row written straight to the database (one the API would not
 * make: a foreign or misplaced sealed env), then queued for the stack's workers.
 */
export async function queueStoredDeployment(stack: Stack, input: NewDeployment): Promise<DeploymentRow> {
  const row = await stack.db.store.create(input);
  const { Queue } = await import('bullmq');
  const { queuePrefix } = await import('@berth/shared/redis-keys');
  const { onOwnConnection } = await import('@berth/shared/own-connection');
  const queue = onOwnConnection(stack.env.REDIS_URL!, (connection) => new Queue('deployments', { connection, prefix: queuePrefix(stack.instance) }));
  try {
    await enqueueDeployment(queue as never, row.id);
  } finally {
    await queue.close();
  }
  return row;
}
