/**
 * The platform a soak runs and breaks: its own Redis, Postgres and Caddy (so restarting them disturbs
 * nobody else on the machine), and the API, the workers and router-sync as processes of their own
 * (each main.ts, as the fault suite starts them), which it may SIGKILL and start again.
 */
import { randomBytes } from 'node:crypto';
import { startCaddy, type TestCaddy } from '@berth/testing/caddy';
import { freePort, waitFor } from '@berth/testing/ports';
import { startPrivatePostgres, type PrivatePostgres } from '@berth/testing/private-postgres';
import { startPrivateRedis, startProgram, type PrivateRedis, type Program } from '@berth/testing/processes';

export const soakToken = 'berth_soak_admin_token_0123456789';
/** The app network every test stack shares (packages/testing/src/network.ts); the worker makes it when missing. */
const appNetwork = 'berth-test-isolated';

export interface SoakProgram {
  name: string;
  kind: 'api' | 'worker' | 'router-sync';
  program: Program;
  /** When this incarnation started (a restart starts a new one: its warm-up begins again). */
  startedAt: number;
}

export interface SoakPlatform {
  instance: string;
  env: Record<string, string>;
  apiUrl: string;
  caddyUrl: string;
  caddy: TestCaddy;
  redis: PrivateRedis;
  pg: PrivatePostgres;
  programs: SoakProgram[];
  /** SIGKILL the named program, then start it again (and wait until it is ready). */
  crash(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Short intervals, as the tests use: recovery within seconds, drains that end within the settle. */
export function soakSettings(): Record<string, string> {
  return {
    BASE_DOMAIN: 'localhost',
    LOG_LEVEL: 'warn',
    GIT_ALLOW_PRIVATE_HOSTS: 'true',
    BUILD_LEFTOVER_GRACE_MS: '3000',
    HEALTHCHECK_TIMEOUT_MS: '5000',
    JOB_LOCK_MS: '5000',
    JOB_STALLED_INTERVAL_MS: '2000',
    SHUTDOWN_GRACE_MS: '5000',
    QUEUE_TIMEOUT_MS: '1000',
    DRAIN_MS: '3000',
    RELEASES_KEPT: '3',
    REAPER_INTERVAL_MS: '2000',
    ORPHAN_GRACE_MS: '5000',
    RESYNC_INTERVAL_MS: '1000',
    RUNTIME_LOG_LEASE_MS: '4000',
    RUNTIME_LOG_DISCOVERY_MS: '2000',
    STRANGER_RATE_LIMIT: '1000000',
    DEPLOY_RATE_LIMIT: '100000',
  };
}

async function ready(p: SoakProgram, apiUrl: string): Promise<void> {
  if (p.kind === 'api') await waitFor('the API to answer', async () => (await fetch(`${apiUrl}/healthz`)).ok, 60_000, 200);
  if (p.kind === 'worker') await waitFor(`${p.name} ready (${p.program.output().slice(-300)})`, () => p.program.output().includes('worker ready'), 60_000, 200);
}

export interface SoakPlatformOptions {
  /** Worker processes (2 unless told). */
  workers?: number;
  /** Settings over everything else. */
  env?: Record<string, string>;
  /** Settings in place of the soak's short intervals (bench/idle.ts: the defaults a real platform runs with). */
  settings?: Record<string, string>;
  /** The programs' compiled dist/main.js instead of their sources through tsx. */
  compiled?: boolean;
}

/** Starts everything. */
export async function startSoakPlatform(options: SoakPlatformOptions = {}): Promise<SoakPlatform> {
  const instance = `soak${randomBytes(3).toString('hex')}`;
  const [redis, pg, caddy, apiPort] = [await startPrivateRedis(), await startPrivatePostgres(), await startCaddy(), await freePort()];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const env: Record<string, string> = {
    ...(options.settings ?? soakSettings()),
    REDIS_URL: redis.url,
    DATABASE_URL: pg.url,
    BERTH_INSTANCE: instance,
    BERTH_NETWORK: appNetwork,
    PUBLIC_PORT: String(caddy.httpPort),
    PUBLIC_HTTPS_PORT: String(caddy.httpsPort),
    BERTH_ADMIN_TOKEN: soakToken,
    BERTH_SECRET_KEY: randomBytes(32).toString('hex'),
    API_HOST: '127.0.0.1',
    API_PORT: String(apiPort),
    CADDY_ADMIN_URL: caddy.adminUrl,
    CADDY_HTTP_LISTEN: `127.0.0.1:${caddy.httpPort}`,
    CADDY_HTTPS_LISTEN: `127.0.0.1:${caddy.httpsPort}`,
    API_UPSTREAM: `127.0.0.1:${apiPort}`,
    ...options.env,
  };
  const launch = (name: string, kind: SoakProgram['kind']): SoakProgram => ({
    name,
    kind,
    program: startProgram(kind, { ...env, LOG_LEVEL: kind === 'worker' ? 'info' : env.LOG_LEVEL!, ...(kind === 'worker' ? { WORKER_NAME: name } : {}) }, { compiled: options.compiled }),
    startedAt: Date.now(),
  });
  const programs = [launch('api', 'api'), ...Array.from({ length: options.workers ?? 2 }, (_, i) => launch(`worker-${i + 1}`, 'worker')), launch('router-sync', 'router-sync')];
  for (const p of programs) await ready(p, apiUrl);
  return {
    instance,
    env,
    apiUrl,
    caddyUrl: `http://127.0.0.1:${caddy.httpPort}`,
    caddy,
    redis,
    pg,
    programs,
    async crash(name) {
      const i = programs.findIndex((p) => p.name === name);
      const old = programs[i]!;
      old.program.child.kill('SIGKILL');
      await old.program.exited;
      programs[i] = launch(old.name, old.kind);
      await ready(programs[i]!, apiUrl);
    },
    async stop() {
      for (const p of [...programs].reverse()) {
        p.program.child.kill('SIGTERM');
        await Promise.race([p.program.exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (p.program.child.exitCode === null && p.program.child.signalCode === null) p.program.child.kill('SIGKILL');
      }
      await caddy.stop();
      await redis.stop();
      await pg.destroy();
    },
  };
}
