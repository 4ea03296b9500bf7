import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@berth/testing/ports';
import { startPrivatePostgres, type PrivatePostgres } from '@berth/testing/private-postgres';
import { startPrivateRedis, type PrivateRedis } from '@berth/testing/processes';
import { repoRoot } from '@berth/testing/paths';

const root = repoRoot;

let pg: PrivatePostgres;
let redis: PrivateRedis;
beforeAll(async () => {
  pg = await startPrivatePostgres();
  redis = await startPrivateRedis();
});
afterAll(async () => {
  await redis?.stop();
  await pg?.destroy();
});

describe('long-lived clients', () => {
  it('a process survives Postgres and Redis going away under a checked-out database client, and recovers', async () => {
    const child = spawn('node', ['--conditions=@berth/source', '--import', 'tsx', 'test/integration/security/fixtures/hold-connections.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/root', DATABASE_URL: pg.url, REDIS_URL: redis.url },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor('the clients to connect', () => output.includes('ready'), 20_000);

    await pg.stop(); // terminates the held connection: pg reports it on the client, outside any query
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1000));
    expect(child.exitCode, output).toBeNull(); // still alive while both are down
    await pg.start();
    await redis.restart(0);
    child.stdin.end('check\n');

    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 20_000))]);
    child.kill('SIGKILL');
    expect(code, output).toBe(0);
    expect(output).toContain('survived');
    expect(output).not.toMatch(/Unhandled 'error' event|uncaught/i);
  });
});
