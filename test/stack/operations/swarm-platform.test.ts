import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@berth/testing/database';
import { request } from '@berth/testing/http';
import { freePort, waitFor } from '@berth/testing/ports';
import { startPrivateRedis, type PrivateRedis } from '@berth/testing/processes';
import { startRegistry, type TestRegistry } from '@berth/testing/registry';
import { testToken } from '@berth/testing/stack';
import { repoRoot } from '@berth/testing/paths';

/**
 * `npm run up -- --detach --swarm` as an operator runs it (the real script,
 * supervisor and compiled programs) on its own ports, state directory,
 * instance, database, Redis and registry; `npm run down` at the end.
 */
const root = repoRoot;
const docker = new Docker();
let redis: PrivateRedis;
let db: TestDatabase;
let registry: TestRegistry;
let env: Record<string, string>;
let stateDir: string;
let httpPort: number;
let instance: string;

function run(script: string, args: string[] = [], extra: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile('bash', [script, ...args], { cwd: root, env: { ...env, ...extra }, timeout: 240_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

const caddyContainer = () => `berth-${instance}-caddy`;

beforeAll(async () => {
  [redis, db, registry] = await Promise.all([startPrivateRedis(), createTestDatabase(), startRegistry()]);
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-upsw-'));
  instance = `t${randomBytes(4).toString('hex')}`;
  httpPort = await freePort();
  env = {
    ...(process.env as Record<string, string>),
    BERTH_STATE_DIR: stateDir,
    BERTH_INSTANCE: instance,
    REDIS_URL: redis.url,
    DATABASE_URL: db.url,
    API_PORT: String(await freePort()),
    CADDY_HTTP_PORT: String(httpPort),
    CADDY_HTTPS_PORT: String(await freePort()),
    CADDY_PUBLISH_HOST: '127.0.0.1',
    BERTH_REGISTRY: registry.address,
    BERTH_ADMIN_TOKEN: testToken,
    BERTH_STOP_GRACE_MS: '10000',
    LOG_LEVEL: 'info',
  };
  delete env.BERTH_RUNTIME;
  delete env.BERTH_NETWORK;
}, 60_000);

afterAll(async () => {
  if (env) await run('scripts/down.sh');
  await docker.getContainer(caddyContainer()).remove({ force: true }).catch(() => {});
  await docker.getNetwork(`berth-${instance}`).remove().catch(() => {});
  await Promise.all([redis?.stop(), db?.drop(), registry?.stop()]);
  if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
}, 120_000);

describe('npm run up -- --swarm', () => {
  it('refuses contradicting or unknown runtimes before starting anything', async () => {
    const conflict = await run('scripts/up.sh', ['--swarm'], { BERTH_RUNTIME: 'docker' });
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('--swarm contradicts BERTH_RUNTIME=docker');
    const bogus = await run('scripts/up.sh', [], { BERTH_RUNTIME: 'k8s' });
    expect(bogus.code).toBe(1);
    expect(bogus.stderr).toContain("BERTH_RUNTIME must be docker or swarm, got 'k8s'");
    const unknown = await run('scripts/up.sh', ['--swarn']);
    expect(unknown.stderr).toContain('unknown option --swarn (usage: npm run up -- [--detach] [--workers N] [--swarm])');
    expect(fs.existsSync(path.join(stateDir, 'pids'))).toBe(false);
  });

  it('runs Caddy as a container (on no app network yet) and the programs in swarm mode; the API answers through it', async () => {
    // An installation that has a person already: no "make the first owner" hint (supervised-platform sees it on a fresh one).
    await db.db.insertInto('users').values({ id: 'usr_swarm_owner', email: 'owner@example.com', role: 'owner' }).execute();
    const up = await run('scripts/up.sh', ['--detach', '--swarm']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain('runtime swarm');
    expect(up.stdout).toContain('Berth is running.');
    expect(up.stdout).not.toContain('First owner');
    const health = await request(`http://127.0.0.1:${httpPort}/healthz`, { host: 'localhost' });
    expect(health.status).toBe(200);

    const caddy = await docker.getContainer(caddyContainer()).inspect();
    expect(caddy.State.Running).toBe(true);
    expect(caddy.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
    // No shared overlay any more: each deployment gets its own, and router-sync connects Caddy to those it routes to.
    expect(Object.keys(caddy.NetworkSettings.Networks)).toEqual(['bridge']);
    expect(caddy.HostConfig.PortBindings?.[`${httpPort}/tcp`]).toEqual([{ HostIp: '127.0.0.1', HostPort: String(httpPort) }]);
    await expect(docker.getNetwork(`berth-${instance}`).inspect()).rejects.toMatchObject({ statusCode: 404 });

    // Admin and API sockets in a 0700 directory of the state dir; no admin port.
    const dir = path.join(stateDir, 'caddy');
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, 'admin.sock')).isSocket()).toBe(true);
    expect(fs.statSync(path.join(dir, 'api.sock')).mode & 0o777).toBe(0o600);
    expect(Object.keys(caddy.NetworkSettings.Ports ?? {}).sort()).toEqual([`${env.CADDY_HTTPS_PORT}/tcp`, `${httpPort}/tcp`].sort());

    const status = await run('scripts/ctl.sh', ['status', '--json']);
    const json = JSON.parse(status.stdout);
    expect(json.services.caddy.ok).toBe(true);
    expect(json.processes.map((p: { name: string; state: string }) => [p.name, p.state])).toEqual([
      ['api', 'running'],
      ['worker-1', 'running'],
      ['router-sync', 'running'],
    ]);
  }, 240_000);

  it('down stops the programs and removes the Caddy container', async () => {
    const down = await run('scripts/down.sh');
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain(`removed the Caddy container ${caddyContainer()}`);
    await expect(docker.getContainer(caddyContainer()).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await waitFor('the API socket removed', () => !fs.existsSync(path.join(stateDir, 'caddy', 'api.sock')), 10_000);
  }, 120_000);
});
