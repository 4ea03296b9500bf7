/**
 * Deploy-to-live benchmark: POST an archive to Berth (through Caddy) until the
 * app answers through Caddy at <id>.localhost, against the raw baseline of
 * `docker build` + `docker run` + first HTTP answer of the same app, in the
 * same script, alternating runs. Prints medians and the ratio.
 *
 *   npm run bench:deploy            (ROUNDS=7 by default)
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { zipTestApp } from '../test/helpers/archives.ts';
import { freePort } from '../test/helpers/ports.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rounds = Number(process.env.ROUNDS ?? 7);
const network = 'berth-bench';
const instance = `bench${process.pid}`;
const benchToken = `berth_bench_token_${process.pid}_0123456789`;
const baseDb = process.env.DATABASE_URL ?? 'postgres://berth:berth@127.0.0.1:5432/berth';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function get(url: string, host?: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { headers: host ? { host } : {}, agent: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
  });
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function baseline(i: number): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-bench-app-'));
  cpSync(path.join(root, 'test-apps/hello'), dir, { recursive: true });
  writeFileSync(path.join(dir, 'nonce.txt'), `${Date.now()}-${i}`);
  const tag = `berth-bench-baseline:${i}`;
  const name = `berth-bench-baseline-${process.pid}-${i}`;
  const t0 = performance.now();
  execFileSync('docker', ['build', '-q', '-t', tag, dir], { env: { ...process.env, DOCKER_BUILDKIT: '0' }, stdio: 'pipe' });
  execFileSync('docker', ['run', '-d', '--name', name, '--network', network, '-e', 'PORT=3000', tag], { stdio: 'pipe' });
  const ip = execFileSync('docker', ['inspect', '-f', `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, name])
    .toString()
    .trim();
  await until(async () => (await get(`http://${ip}:3000/`)) === 200, 'baseline app');
  const ms = performance.now() - t0;
  execFileSync('docker', ['rm', '-f', name], { stdio: 'pipe' });
  execFileSync('docker', ['rmi', '-f', tag], { stdio: 'pipe' });
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

async function berth(i: number, caddyUrl: string): Promise<number> {
  const archive = await zipTestApp('hello', { 'nonce.txt': `${Date.now()}-${i}` });
  const form = new FormData();
  form.append('projectArchive', new Blob([archive]), 'hello.zip');
  const encoded = new Request('http://x/', { method: 'POST', body: form });
  const body = Buffer.from(await encoded.arrayBuffer());
  const t0 = performance.now();
  const id = await new Promise<string>((resolve, reject) => {
    const req = http.request(
      `${caddyUrl}/api/deployments`,
      {
        method: 'POST',
        headers: { host: 'localhost', authorization: `Bearer ${benchToken}`, 'content-type': encoded.headers.get('content-type')! },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => (res.statusCode === 202 ? resolve(JSON.parse(text).id) : reject(new Error(text))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  await until(async () => (await get(`${caddyUrl}/`, `${id}.localhost`)) === 200, `berth deployment ${id}`);
  return performance.now() - t0;
}


const procs: ChildProcess[] = [];
async function startPlatform(): Promise<{ caddyUrl: string; stop: () => Promise<void> }> {
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
    BERTH_ADMIN_TOKEN: benchToken,
    HOME: cfgDir,
  };
  const run = (args: string[]) => {
    const quiet = args[0] === 'caddy';
    const p = spawn(args[0]!, args.slice(1), { cwd: root, env, stdio: ['ignore', 'ignore', quiet ? 'ignore' : 'inherit'] });
    procs.push(p);
    return p;
  };
  execFileSync('node', ['--import', 'tsx', 'migrations/migrate-cli.ts'], { cwd: root, env, stdio: 'ignore' });
  run(['caddy', 'run', '--config', path.join(cfgDir, 'caddy.json')]);
  run(['node', '--import', 'tsx', 'apps/api/src/main.ts']);
  run(['node', '--import', 'tsx', 'apps/worker/src/main.ts']);
  run(['node', '--import', 'tsx', 'apps/router-sync/src/main.ts']);
  const caddyUrl = `http://127.0.0.1:${httpPort}`;
  await until(async () => (await get(`${caddyUrl}/healthz`, 'localhost')) === 200, 'platform up', 60_000);
  return {
    caddyUrl,
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
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.end();
      rmSync(cfgDir, { recursive: true, force: true });
    },
  };
}

try {
  execFileSync('docker', ['network', 'inspect', network], { stdio: 'ignore' });
} catch {
  execFileSync('docker', ['network', 'create', network], { stdio: 'ignore' });
}
const platform = await startPlatform();
try {
  // One warm-up of each (first build after start pays for page cache and JIT).
  await baseline(999);
  await berth(999, platform.caddyUrl);
  const raw: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < rounds; i++) {
    raw.push(await baseline(i));
    ours.push(await berth(i, platform.caddyUrl));
  }
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');
  console.log(`rounds: ${rounds} (alternating; each build has a fresh file, so no step is cached)`);
  console.log(`raw docker build+run+first answer  ms: ${fmt(raw)}  median ${median(raw).toFixed(0)}`);
  console.log(`berth POST -> answering via Caddy  ms: ${fmt(ours)}  median ${median(ours).toFixed(0)}`);
  console.log(`ratio (berth / raw, medians): ${(median(ours) / median(raw)).toFixed(2)}`);
} finally {
  await platform.stop();
}
