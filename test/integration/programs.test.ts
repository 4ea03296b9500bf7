import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@berth/testing/database';
import { freePort, waitFor } from '@berth/testing/ports';
import { startProgram } from '@berth/testing/processes';

const run = (program: string, env: Record<string, string>) => startProgram(program as 'api' | 'worker' | 'router-sync', env);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('the programs as processes', () => {
  it.each(['api', 'worker', 'router-sync'])('%s refuses to start on a bad config value, naming it', async (program) => {
    const p = run(program, { REDIS_URL: 'not a url', BERTH_INSTANCE: 'Bad_Name' });
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain('REDIS_URL');
    expect(p.output()).toContain('BERTH_INSTANCE');
    const line = JSON.parse(p.output().trim().split('\n').at(-1)!);
    expect(line).toMatchObject({ level: 60, app: program });
  });

  it('the api starts, serves, logs JSON, and exits 0 on SIGTERM after closing everything', async () => {
    const port = await freePort();
    const p = run('api', {
      REDIS_URL: inject('redisUrl'),
      DATABASE_URL: db.url,
      API_PORT: String(port),
      BERTH_INSTANCE: `proc${process.pid}`,
      BERTH_ADMIN_TOKEN_FILE: path.join(mkdtempSync(path.join(os.tmpdir(), 'berth-token-')), 'admin-token'),
      BERTH_SECRET_KEY_FILE: path.join(mkdtempSync(path.join(os.tmpdir(), 'berth-key-')), 'secret-key'),
    });
    // Started through tsx (compiled on the fly): seconds on a quiet machine, far more on a busy one.
    await waitFor('api up', async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, 60_000);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    const lines = p.output().trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
    expect(lines.every((l) => l.app === 'api')).toBe(true);
  }, 90_000);
});
