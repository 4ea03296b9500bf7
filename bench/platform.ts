/** What the benchmarks share: the platform started as processes, and small HTTP helpers. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from '@berth/testing/ports';
import { dropDatabase } from '@berth/testing/drop-database';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const baseDb = process.env.DATABASE_URL ?? 'postgres://berth:berth@127.0.0.1:5432/berth';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function get(url: string, host?: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { headers: host ? { host } : {}, agent: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
  });
}

/**
 * POSTs an archive deployment through Caddy (node:http: fetch does not send a
 * Host of our choosing, and Caddy routes the API by it); resolves its id.
 */
export async function postArchive(caddyUrl: string, token: string, archive: Buffer, fields: Record<string, string> = {}): Promise<string> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('projectArchive', new Blob([archive]), 'app.zip');
  const encoded = new Request('http://x/', { method: 'POST', body: form });
  const body = Buffer.from(await encoded.arrayBuffer());
  return new Promise<string>((resolve, reject) => {
    const req = http.request(
      `${caddyUrl}/api/deployments`,
      {
        method: 'POST',
        headers: { host: 'localhost', authorization: `Bearer ${token}`, 'content-type': encoded.headers.get('content-type')! },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => (res.statusCode === 202 ? resolve((JSON.parse(text) as { id: string }).id) : reject(new Error(`${res.statusCode}: ${text}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * The platform as `npm run up` runs it (api, worker, router-sync as compiled processes,
 * a private Caddy), on a database of its own; `stop` removes what it made. Over 60 lines: the start-up
 * order of the real platform, step by step, with the stop that undoes each step beside it.
 */
export async function startPlatform(options: {
  instance: string;
  network: string;
  token: string;
  env?: Record<string, string>;
  /** Worker processes (1 unless told). */
  workers?: number;
}): Promise<{ caddyUrl: string; dbUrl: string; stop: () => Promise<void> }> {
  const { instance, network } = options;
  const procs: ChildProcess[] = [];
  const dbName = `berth_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: baseDb });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const dbUrl = new URL(baseDb);
  dbUrl.pathname = `/${dbName}`;
  const [apiPort, adminPort, httpPort] = [await freePort(), await freePort(), await freePort()];
  const cfgDir = mkdtempSync(path.join(os.tmpdir(), 'berth-bench-caddy-'));
  writeFileSync(path.join(cfgDir, 'caddy.json'), JSON.stringify({ admin: { listen: `127.0.0.1:${adminPort}` } }));
  const env = {
    ...process.env,
    DATABASE_URL: dbUrl.toString(),
    REDIS_URL: redisUrl,
    BERTH_INSTANCE: instance,
    BERTH_NETWORK: network,
    API_PORT: String(apiPort),
    PUBLIC_PORT: String(httpPort),
    CADDY_ADMIN_URL: `http://127.0.0.1:${adminPort}`,
    CADDY_HTTP_LISTEN: `127.0.0.1:${httpPort}`,
    API_UPSTREAM: `127.0.0.1:${apiPort}`,
    LOG_LEVEL: 'warn',
    BERTH_ADMIN_TOKEN: options.token,
    BERTH_SECRET_KEY: randomBytes(32).toString('hex'),
    HOME: cfgDir,
    ...options.env,
  };
  const run = (args: string[]) => {
    const quiet = args[0] === 'caddy';
    const p = spawn(args[0]!, args.slice(1), { cwd: root, env, stdio: ['ignore', 'ignore', quiet ? 'ignore' : 'inherit'] });
    procs.push(p);
    return p;
  };
  execFileSync('node', ['migrations/dist/migrate-cli.js'], { cwd: root, env, stdio: 'ignore' });
  run(['caddy', 'run', '--config', path.join(cfgDir, 'caddy.json')]);
  run(['node', 'apps/api/dist/main.js']);
  for (let i = 0; i < (options.workers ?? 1); i++) run(['node', 'apps/worker/dist/main.js']);
  run(['node', 'apps/router-sync/dist/main.js']);
  const caddyUrl = `http://127.0.0.1:${httpPort}`;
  await until(async () => (await get(`${caddyUrl}/healthz`, 'localhost')) === 200, 'platform up', 60_000);
  return {
    caddyUrl,
    dbUrl: dbUrl.toString(),
    async stop() {
      for (const p of procs.reverse()) {
        const exited = new Promise((r) => p.once('exit', r));
        p.kill('SIGTERM');
        await exited;
      }
      const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=dev.berth.instance=${instance}`]).toString().split('\n').filter(Boolean);
      if (ids.length) execFileSync('docker', ['rm', '-f', ...ids], { stdio: 'ignore' });
      const images = execFileSync('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}', `berth-${instance}/*`]).toString().split('\n').filter(Boolean);
      if (images.length) execFileSync('docker', ['rmi', '-f', ...images], { stdio: 'ignore' });
      await dropDatabase(admin, dbName);
      await admin.end();
      rmSync(cfgDir, { recursive: true, force: true });
    },
  };
}


/** The Docker network the benchmark's apps join (made when missing). */
export function ensureNetwork(network: string): void {
  try {
    execFileSync('docker', ['network', 'inspect', network], { stdio: 'ignore' });
  } catch {
    execFileSync('docker', ['network', 'create', network], { stdio: 'ignore' });
  }
}
