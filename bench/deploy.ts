/**
 * Deploy-to-live benchmark: POST an archive to Berth (through Caddy) until the
 * app answers through Caddy at <id>.localhost, against the raw baseline of
 * `docker build` + `docker run` + first HTTP answer of the same app, in the
 * same script, alternating runs. Prints medians and the ratio.
 *
 *   npm run bench:deploy            (ROUNDS=7 by default)
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipTestApp } from '@berth/testing/archives';
import { ensureNetwork, get, median, postArchive, startPlatform, until } from './platform.ts';
import { sized, smoke } from './bench-size.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rounds = sized('ROUNDS', 7, 1);
const network = 'berth-bench';
const instance = `bench${process.pid}`;
const benchToken = `berth_bench_token_${process.pid}_0123456789`;

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
  const t0 = performance.now();
  const id = await postArchive(caddyUrl, benchToken, archive);
  await until(async () => (await get(`${caddyUrl}/`, `${id}.localhost`)) === 200, `berth deployment ${id}`);
  return performance.now() - t0;
}


ensureNetwork(network);
const platform = await startPlatform({ instance, network, token: benchToken });
try {
  // One warm-up of each (first build after start pays for page cache and JIT); none at smoke size.
  if (!smoke) {
    await baseline(999);
    await berth(999, platform.caddyUrl);
  }
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
