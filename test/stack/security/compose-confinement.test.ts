import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpCaddyAdmin } from '../../../apps/router-sync/src/caddy-admin.ts';
import { loadRouterSyncConfig } from '../../../apps/router-sync/src/config.ts';
import { waitFor } from '@berth/testing/ports';
import { repoRoot } from '@berth/testing/paths';

const root = repoRoot;

interface Service {
  environment?: Record<string, string>;
  volumes?: (string | { source?: string; target?: string })[];
  networks?: Record<string, unknown> | string[];
  network_mode?: string;
  ports?: (string | { host_ip?: string; published?: number | string })[];
}

/** `docker-compose config` as data (it prints YAML; PyYAML comes with docker-compose). */
function composeConfig(): { services: Record<string, Service>; networks: Record<string, any>; volumes: Record<string, unknown> } {
  const yaml = execFileSync('docker-compose', ['-f', path.join(root, 'docker-compose.yml'), 'config'], { encoding: 'utf8' });
  const json = execFileSync('python3', ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'], {
    input: yaml,
    encoding: 'utf8',
  });
  return JSON.parse(json);
}

const networksOf = (s: Service) => (Array.isArray(s.networks) ? s.networks : Object.keys(s.networks ?? {}));
const volumeSources = (s: Service) => (s.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':')[0]! : (v.source ?? '')));

describe('docker-compose.yml keeps apps away from the platform', () => {
  const config = composeConfig();
  const services = config.services;
  const appsKey = Object.entries(config.networks).find(([, n]) => n?.name === services.worker!.environment!.BERTH_NETWORK)?.[0];

  it('declares the app network with container-to-container traffic off, under the name the workers use', () => {
    expect(appsKey).toBeDefined();
    expect(config.networks[appsKey!].driver_opts['com.docker.network.bridge.enable_icc']).toBe('false');
    for (const s of Object.values(services)) {
      if (s.environment?.BERTH_NETWORK) expect(s.environment.BERTH_NETWORK).toBe(config.networks[appsKey!].name);
    }
  });

  it('puts no service on the app network (an app could connect to it); Caddy and the worker reach apps from the host', () => {
    const joined = Object.entries(services).filter(([, s]) => networksOf(s).includes(appsKey!)).map(([name]) => name);
    expect(joined).toEqual([]);
    expect(services.caddy!.network_mode).toBe('host');
    expect(services.worker!.network_mode).toBe('host');
    for (const [name, s] of Object.entries(services)) {
      expect(s.network_mode === undefined || s.network_mode === 'host', name).toBe(true); // no container:… sharing
    }
  });

  it("serves Caddy's admin API on a unix socket shared only by Caddy and router-sync, never on a port", () => {
    expect(services.caddy!.environment!.CADDY_ADMIN_LISTEN).toMatch(/^unix\/\//);
    expect(services['router-sync']!.environment!.CADDY_ADMIN_LISTEN).toBe(services.caddy!.environment!.CADDY_ADMIN_LISTEN);
    expect(services['router-sync']!.environment!.CADDY_ADMIN_URL).toMatch(/^unix:\/\/\//);
    const socketDir = path.posix.dirname(services.caddy!.environment!.CADDY_ADMIN_LISTEN!.slice('unix/'.length));
    const adminVolume = (services.caddy!.volumes ?? [])
      .map((v) => (typeof v === 'string' ? v.split(':') : [v.source, v.target]))
      .find(([, target]) => target === socketDir)?.[0];
    expect(adminVolume).toBeDefined();
    expect(Object.keys(config.volumes)).toContain(adminVolume); // a named volume, not a host path
    const mounting = Object.entries(services).filter(([, s]) => volumeSources(s).includes(adminVolume!)).map(([n]) => n);
    expect(mounting.sort()).toEqual(['caddy', 'router-sync']);
    for (const [name, s] of Object.entries(services)) {
      for (const value of Object.values(s.environment ?? {})) expect(String(value), name).not.toMatch(/:2019\b/);
    }
  });

  it('publishes Redis, Postgres and the API on the host loopback only, and nothing else but Caddy serves publicly', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const p of s.ports ?? []) {
        const spec = typeof p === 'string' ? p : `${p.host_ip ?? ''}:${p.published}`;
        expect(spec.startsWith('127.0.0.1:'), `${name} publishes ${spec}`).toBe(true);
      }
    }
    for (const name of ['redis', 'postgres', 'api']) {
      expect(networksOf(services[name]!)).not.toContain(appsKey);
      expect(services[name]!.network_mode).toBeUndefined();
    }
  });

  it('mounts the Docker socket into the worker and router-sync only', () => {
    const withSocket = Object.entries(services)
      .filter(([, s]) => volumeSources(s).some((v) => v.endsWith('docker.sock')))
      .map(([name]) => name);
    expect(withSocket.sort()).toEqual(['router-sync', 'worker']);
    expect(volumeSources(services['router-sync']!).length).toBeGreaterThan(0);
    expect((services['router-sync']!.volumes ?? []).find((v) => String(v).includes('docker.sock'))).toMatch(/:ro$/);
  });

  it('the Caddyfile, adapted with the compose environment, listens for admin on the socket only', () => {
    const adapted = JSON.parse(
      execFileSync('caddy', ['adapt', '--adapter', 'caddyfile', '--config', path.join(root, 'Caddyfile')], {
        encoding: 'utf8',
        env: { ...process.env, ...services.caddy!.environment },
      }),
    );
    expect(adapted.admin.listen).toBe(services.caddy!.environment!.CADDY_ADMIN_LISTEN);
    expect(JSON.stringify(adapted)).toContain(`"dial":"${services.caddy!.environment!.API_UPSTREAM}"`);
  });
});

describe("router-sync drives Caddy's admin API over a unix socket", () => {
  let dir: string;
  let caddy: ChildProcess;
  let socket: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'berth-caddy-socket-'));
    socket = path.join(dir, 'admin.sock');
    writeFileSync(path.join(dir, 'caddy.json'), JSON.stringify({ admin: { listen: `unix/${socket}` } }));
    caddy = spawn('caddy', ['run', '--config', path.join(dir, 'caddy.json')], {
      stdio: 'ignore',
      env: { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
    });
    await waitFor('caddy admin socket', () => new HttpCaddyAdmin(`unix://${socket}`).current().then(() => true), 15_000);
  });
  afterAll(async () => {
    if (caddy && caddy.exitCode === null) {
      const exited = new Promise((r) => caddy.once('exit', r));
      caddy.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads a config and reads it back, with the admin listener kept on the socket', async () => {
    const config = loadRouterSyncConfig({ CADDY_ADMIN_URL: `unix://${socket}` });
    expect(config.adminListen).toBe(`unix/${socket}`);
    const admin = new HttpCaddyAdmin(config.CADDY_ADMIN_URL);
    const desired = {
      admin: { listen: config.adminListen },
      apps: { http: { servers: { probe: { listen: ['127.0.0.1:0'], routes: [{ handle: [{ handler: 'static_response', body: 'ok' }] }] } } } },
    };
    await admin.load(desired);
    expect(await admin.current()).toEqual(desired);
  });

  it('refuses a config URL that is neither http nor unix', () => {
    expect(() => loadRouterSyncConfig({ CADDY_ADMIN_URL: 'ftp://127.0.0.1:2019' })).toThrow(/CADDY_ADMIN_URL/);
  });
});
