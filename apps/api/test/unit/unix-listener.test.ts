import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadApiConfig } from '../../src/config.ts';
import { listenOnUnixSocket } from '../../src/unix-listener.ts';

const dirs: string[] = [];
const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'berth-unix-'));
  dirs.push(d);
  return d;
}

function server(): http.Server {
  const s = http.createServer((req, res) => res.end(`hello ${req.url}`));
  servers.push(s);
  return s;
}

function get(socketPath: string, urlPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath, path: urlPath, agent: false }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

describe('the API on a unix socket', () => {
  it('serves the same server, in a 0700 directory, as a 0600 socket removed on close', async () => {
    const socketPath = path.join(tempDir(), 'sub', 'api.sock');
    const close = await listenOnUnixSocket(server(), socketPath);
    expect(await get(socketPath, '/x')).toBe('hello /x');
    expect(statSync(socketPath).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(socketPath)).mode & 0o777).toBe(0o700);
    await close();
    expect(existsSync(socketPath)).toBe(false);
    await expect(get(socketPath, '/x')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('tightens a directory others can enter', async () => {
    const dir = tempDir();
    const { chmodSync } = await import('node:fs');
    chmodSync(dir, 0o755);
    const close = await listenOnUnixSocket(server(), path.join(dir, 'api.sock'));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    await close();
  });

  it('replaces a stale socket left by a dead process', async () => {
    const socketPath = path.join(tempDir(), 'api.sock');
    // What a killed process leaves: a bound socket file nobody listens on.
    execFileSync('python3', ['-c', 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', socketPath]);
    await expect(new Promise((resolve, reject) => net.connect(socketPath).on('connect', resolve).on('error', reject))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(existsSync(socketPath)).toBe(true);
    const close = await listenOnUnixSocket(server(), socketPath);
    expect(await get(socketPath, '/y')).toBe('hello /y');
    await close();
  });

  it('refuses a directory that is a symlink or belongs to another user', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'real');
    mkdirSync(target, { mode: 0o700 });
    symlinkSync(target, path.join(dir, 'link'));
    await expect(listenOnUnixSocket(server(), path.join(dir, 'link', 'api.sock'))).rejects.toThrow(/owned by this user \(not a symlink\)/);
    const foreign = path.join(dir, 'foreign');
    mkdirSync(foreign, { mode: 0o700 });
    chownSync(foreign, 65534, 65534); // the tests run as root (see ENVIRONMENT.md)
    await expect(listenOnUnixSocket(server(), path.join(foreign, 'api.sock'))).rejects.toThrow(/owned by this user/);
    expect(existsSync(path.join(foreign, 'api.sock'))).toBe(false);
  });

  it('refuses to replace a file that is not a socket', async () => {
    const socketPath = path.join(tempDir(), 'api.sock');
    writeFileSync(socketPath, 'precious');
    await expect(listenOnUnixSocket(server(), socketPath)).rejects.toThrow(/not a socket/);
    expect(statSync(socketPath).isFile()).toBe(true);
  });

  it('takes only an absolute file path in API_SOCKET_PATH', () => {
    const base = { DATABASE_URL: 'postgres://x@127.0.0.1/x', REDIS_URL: 'redis://127.0.0.1:6379' };
    expect(loadApiConfig({ ...base, API_SOCKET_PATH: '/run/berth/api.sock' }).API_SOCKET_PATH).toBe('/run/berth/api.sock');
    for (const bad of ['api.sock', '/run/berth/', '']) {
      expect(() => loadApiConfig({ ...base, API_SOCKET_PATH: bad }), bad).toThrow(/API_SOCKET_PATH/);
    }
  });
});
