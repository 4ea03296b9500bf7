import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settled } from '@berth/testing/deployments';
import { startStack, type Stack } from '@berth/testing/stack';

// The default: git hosts on loopback or private networks are refused (the test stack allows them elsewhere).
let stack: Stack;
let hits: string[];
let server: http.Server;
let port: number;
beforeAll(async () => {
  stack = await startStack({ router: false, env: { GIT_ALLOW_PRIVATE_HOSTS: 'false' } });
  hits = [];
  server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('not a git server');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server?.close();
  await stack?.close();
});

describe('a git URL cannot make Berth send requests to the host or its networks', () => {
  it('refuses loopback, private and metadata addresses with 400 before anything is stored', async () => {
    for (const gitUrl of [
      `http://127.0.0.1:${port}/config/`,
      `http://localhost:${port}/x.git`,
      `git://127.0.0.1:${port}/x.git`,
      'http://[::1]:6379/x.git',
      'http://169.254.169.254/latest/meta-data/',
      'https://10.0.0.1/x.git',
      'http://0.0.0.0:5432/x.git',
    ]) {
      const res = await stack.inject({ method: 'POST', url: '/api/deployments', payload: { gitUrl } });
      expect(res.statusCode, gitUrl).toBe(400);
      expect(res.json().error.code).toBe('INVALID_GIT_URL');
    }
    expect(await stack.db.db.selectFrom('deployments').select('id').execute()).toEqual([]);
    expect(hits).toEqual([]);
  });

  it('the worker refuses one stored before (or behind the API), without contacting it', async () => {
    for (const w of stack.workers) await w.worker.pause();
    const created = (await stack.inject({ method: 'POST', url: '/api/deployments', payload: { gitUrl: 'https://example.invalid/x.git' } })).json();
    await stack.db.db.updateTable('deployments').set({ git_url: `http://127.0.0.1:${port}/config/` }).where('id', '=', created.id).execute();
    for (const w of stack.workers) await w.worker.resume();
    const final = await settled(stack, created.id);
    expect(final).toMatchObject({ status: 'failed', errorCode: 'INVALID_GIT_URL' });
    expect(hits).toEqual([]);
  });
});
