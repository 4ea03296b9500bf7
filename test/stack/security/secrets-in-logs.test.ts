import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactUrl } from '@berth/shared/logger';
import { createTestDatabase, type TestDatabase } from '@berth/testing/database';
import { SseClient } from '@berth/testing/http';
import { freePort, waitFor } from '@berth/testing/ports';
import { startProgram } from '@berth/testing/processes';
import { startStack, testToken, type Stack } from '@berth/testing/stack';
import { repoRoot } from '@berth/testing/paths';

const root = repoRoot;

/** The API as a real process (its own main.ts), logging at info. */
const runApi = (env: Record<string, string>) => startProgram('api', { LOG_LEVEL: 'info', ...env });

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ workers: 0, router: false });
});
afterAll(async () => {
  await stack?.close();
});

describe('no secret in a log or a response', () => {
  it('the API process never logs a token given as ?token= or in Authorization', async () => {
    const port = await freePort();
    const api = runApi({ ...stack.env, API_PORT: String(port) });
    try {
      await waitFor('api up', async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, 20_000);
      const sse = await SseClient.open(`http://127.0.0.1:${port}/api/events?token=${testToken}&x=1`, { headers: { authorization: '' } });
      sse.close();
      const encoded = await SseClient.open(`http://127.0.0.1:${port}/api/events?%74oken=${testToken}`, { headers: { authorization: '' } });
      encoded.close();
      await fetch(`http://127.0.0.1:${port}/api/deployments?token=${testToken}`, { headers: { authorization: `Bearer ${testToken}` } });
      await fetch(`http://127.0.0.1:${port}/api/nothing?token=${testToken}`);
      await waitFor('the requests to be logged', () => (api.output().match(/incoming request/g) ?? []).length >= 4, 5000);
    } finally {
      api.child.kill('SIGTERM');
      await api.exited;
    }
    const log = api.output();
    expect(log).toContain('token=[redacted]');
    expect(log).not.toContain(testToken);
  });

  it('redacts credentials and token-like query values in any logged URL', () => {
    expect(redactUrl('/api/events?deployment=abc&token=berth_x&since=1')).toBe('/api/events?deployment=abc&token=[redacted]&since=1');
    expect(redactUrl('/x?TOKEN=a&access_token=b&api_key=c')).toBe('/x?TOKEN=[redacted]&access_token=[redacted]&api_key=[redacted]');
    expect(redactUrl('cloning https://user:hunter2@example.com/a.git')).toBe('cloning https://[redacted]@example.com/a.git');
    expect(redactUrl('https://ghp_abc@github.com/a/b')).toBe('https://[redacted]@github.com/a/b');
    // The query parser decodes keys: so must the redaction (review finding).
    expect(redactUrl('/api/events?%74oken=berth_SECRET')).toBe('/api/events?%74oken=[redacted]');
    expect(redactUrl('/api/events?tok%65n=berth_SECRET&x=1')).toBe('/api/events?tok%65n=[redacted]&x=1');
    expect(redactUrl('/api/events?TOKEN+=berth_SECRET')).not.toContain('berth_SECRET');
    // A terminal's argv (review finding): `psql postgres://u:pw@db` is percent-encoded, past the user:password rule.
    expect(redactUrl('/api/deployments/d1/exec?cmd=psql&cmd=postgres%3A%2F%2Fu%3Apw%40db&replica=1')).toBe('/api/deployments/d1/exec?cmd=[redacted]&cmd=[redacted]&replica=1');
  });

  it('writes a generated admin token only to BERTH_ADMIN_TOKEN_FILE (0600), never to the log', async () => {
    const db: TestDatabase = await createTestDatabase();
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'berth-token-')), 'admin-token');
    const port = await freePort();
    const env = { REDIS_URL: stack.env.REDIS_URL!, DATABASE_URL: db.url, API_PORT: String(port), BERTH_INSTANCE: stack.instance, BERTH_SECRET_KEY: stack.env.BERTH_SECRET_KEY! };
    try {
      const refused = runApi(env); // no token configured, none stored, nowhere to write one
      expect(await refused.exited).toBe(1);
      expect(refused.output()).toContain('BERTH_ADMIN_TOKEN');

      const api = runApi({ ...env, BERTH_ADMIN_TOKEN_FILE: file });
      // Two API start-ups in a row: on a busy 2-core runner each can take over 10 s.
      await waitFor('api up', async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, 45_000);
      const token = readFileSync(file, 'utf8').trim();
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const res = await fetch(`http://127.0.0.1:${port}/api/tokens`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      api.child.kill('SIGTERM');
      await api.exited;
      expect(token).toMatch(/^berth_/);
      expect(api.output()).not.toContain(token);
      expect(api.output()).toContain(file);
    } finally {
      await db.drop();
    }
  }, 120_000);

  it('refuses git URLs with credentials, without echoing them', async () => {
    for (const gitUrl of [
      'https://alice:hunter2secret@example.com/a.git',
      'https://ghp_0123456789abcdef@github.com/a/b.git',
      'http://:hunter2secret@example.com/a.git',
    ]) {
      const res = await stack.inject({ method: 'POST', url: '/api/deployments', payload: { gitUrl } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('INVALID_GIT_URL');
      expect(res.body).not.toMatch(/hunter2secret|ghp_0123/);
    }
    expect(await stack.db.db.selectFrom('deployments').select('id').execute()).toEqual([]);
  });

  it('keeps the state directory (.berth: logs, pids, the local token) private to its owner', () => {
    // What `npm run up` and `npm test` both source: it makes the directory, and tightens an old one.
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'berth-state-')), 'state');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    execFileSync('bash', ['-c', 'source scripts/lib/services.sh'], { cwd: root, env: { ...process.env, BERTH_STATE_DIR: dir } });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    // And this run's own state directory, when `npm test` made one.
    if (process.env.BERTH_STATE_DIR) expect(statSync(process.env.BERTH_STATE_DIR).mode & 0o077).toBe(0);
    // up.sh creates its log files under umask 077.
    expect(readFileSync(path.join(root, 'scripts/up.sh'), 'utf8')).toMatch(/^umask 077$/m);
  });
});
