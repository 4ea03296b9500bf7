/**
 * Rebuild benchmark for builds without a Dockerfile: a TypeScript server with
 * 24 runtime dependencies (common libraries that have no dependencies of
 * their own: lodash, luxon, undici, yaml, zod, kysely, …) and a build step
 * (`tsc`, a devDependency), all installed offline from tarballs packed from
 * Berth's own node_modules (no registry here). Cold
 * build (its install never seen before), then a rebuild after a one-line
 * source change, in the same run; each timed from POST to the app answering
 * the new version through Caddy. Also the image size against its base image.
 *
 *   npm run bench:rebuild            (ROUNDS=3 by default)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipEntries, type ZipEntry } from '@berth/testing/archives';
import { ensureNetwork, median, startPlatform, until } from './platform.ts';
import { sized } from './bench-size.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rounds = sized('ROUNDS', 3, 1);
const network = 'berth-bench';
const instance = `bench${process.pid}`;
const benchToken = `berth_bench_token_${process.pid}_0123456789`;

/** Zero-dependency libraries in Berth's node_modules, so that they install offline. */
const runtimeDeps = [
  'zod', 'kysely', 'lodash', 'luxon', 'semver', 'yaml', 'undici', 'nanoid', 'ms', 'picomatch', 'tslib', 'fast-deep-equal',
  'cookie', 'set-cookie-parser', 'safe-stable-stringify', 'lru-cache', 'async', 'bluebird', 'long', 'ipaddr.js', 'denque',
  'rfdc', 'split2', 'xtend',
];

/** The app: packed dependencies, a lockfile made offline, a tsc build, a start script. */
function makeApp(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-bench-rebuild-'));
  mkdirSync(path.join(dir, 'vendor'));
  mkdirSync(path.join(dir, 'src'));
  const packed: Record<string, string> = {};
  for (const name of [...runtimeDeps, 'typescript']) {
    const file = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', path.join(root, 'node_modules', name)], { cwd: path.join(dir, 'vendor') })
      .toString()
      .trim()
      .split('\n')
      .pop()!;
    packed[name] = `file:vendor/${file}`;
  }
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'bench-rebuild',
        private: true,
        engines: { node: '24.x' },
        scripts: { build: 'tsc -p .', start: 'node dist/server.js' },
        dependencies: Object.fromEntries(runtimeDeps.map((d) => [d, packed[d]])),
        devDependencies: { typescript: packed.typescript },
      },
      null,
      2,
    ),
  );
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'es2022', module: 'nodenext', rootDir: 'src', outDir: 'dist', strict: true, skipLibCheck: true, types: [] }, include: ['src'] }),
  );
  writeFileSync(path.join(dir, 'src/version.ts'), "export const version = 'v0';\n");
  // The few Node types the server uses (@types/node would need the registry for its own dependency).
  writeFileSync(
    path.join(dir, 'src/node.d.ts'),
    [
      'declare const process: { env: Record<string, string | undefined> };',
      "declare module 'node:http' {",
      '  export function createServer(handler: (req: unknown, res: { end(body: string): void }) => void): { listen(port: number): void };',
      '}',
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'src/server.ts'),
    [
      "import { createServer } from 'node:http';",
      "import { z } from 'zod';",
      "import { version } from './version.js';",
      'const port = z.coerce.number().parse(process.env.PORT ?? 3000);',
      'createServer((_req, res) => res.end(version)).listen(port);',
      '',
    ].join('\n'),
  );
  execFileSync('npm', ['install', '--package-lock-only', '--offline', '--no-audit', '--no-fund', '--silent'], { cwd: dir });
  return dir;
}

function entries(dir: string, prefix = ''): ZipEntry[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(full).isDirectory() ? entries(full, rel) : [{ name: rel, content: readFileSync(full) }];
  });
}

function post(caddyUrl: string, archive: Buffer): Promise<string> {
  const form = new FormData();
  form.append('name', 'bench-rebuild');
  form.append('projectArchive', new Blob([archive]), 'app.zip');
  const encoded = new Request('http://x/', { method: 'POST', body: form });
  return encoded.arrayBuffer().then(
    (body) =>
      new Promise<string>((resolve, reject) => {
        const req = http.request(
          `${caddyUrl}/api/deployments`,
          { method: 'POST', headers: { host: 'localhost', authorization: `Bearer ${benchToken}`, 'content-type': encoded.headers.get('content-type')! } },
          (res) => {
            let text = '';
            res.on('data', (c) => (text += c));
            res.on('end', () => (res.statusCode === 202 ? resolve(JSON.parse(text).id) : reject(new Error(text))));
          },
        );
        req.on('error', reject);
        req.end(Buffer.from(body));
      }),
  );
}

function body(url: string, host: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const req = http.get(url, { headers: { host, authorization: `Bearer ${benchToken}` }, agent: false, timeout: 2000 }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', () => resolve({ status: 0, text: '' }));
    req.on('timeout', () => req.destroy());
  });
}

/** POST → the deployment answers `expect` through Caddy; returns ms and the deployment id. */
async function deploy(caddyUrl: string, dir: string, expect: string): Promise<{ ms: number; id: string }> {
  const archive = await zipEntries(entries(dir));
  const t0 = performance.now();
  const id = await post(caddyUrl, archive);
  await until(
    async () => {
      if ((await body(`${caddyUrl}/`, `${id}.localhost`)).text === expect) return true;
      const d = JSON.parse((await body(`${caddyUrl}/api/deployments/${id}`, 'localhost')).text) as {
        status: string;
        errorCode: string | null;
        errorMessage: string | null;
      };
      if (d.status === 'failed') {
        const lines = await logLines(caddyUrl, id);
        throw new Error(`deployment ${id} failed (${d.errorCode}): ${d.errorMessage}\n${lines.slice(-30).join('\n')}`);
      }
      return false;
    },
    `deployment ${id} answering ${expect}`,
    180_000,
  );
  return { ms: performance.now() - t0, id };
}

async function logLines(caddyUrl: string, id: string): Promise<string[]> {
  const { text } = await body(`${caddyUrl}/api/deployments/${id}/logs?limit=10000`, 'localhost');
  return (JSON.parse(text) as { lines: { line: string }[] }).lines.map((l) => l.line);
}

async function timedLines(caddyUrl: string, id: string): Promise<string[]> {
  const { text } = await body(`${caddyUrl}/api/deployments/${id}/logs?limit=10000`, 'localhost');
  return (JSON.parse(text) as { lines: { ts: string; line: string }[] }).lines.map((l) => `${l.ts.slice(11, 23)} ${l.line}`);
}

/** The image build alone, from the deployment's log: "building image" → "image size". */
async function buildMs(caddyUrl: string, id: string): Promise<number> {
  const { text } = await body(`${caddyUrl}/api/deployments/${id}/logs?limit=10000`, 'localhost');
  const lines = (JSON.parse(text) as { lines: { ts: string; line: string }[] }).lines;
  const at = (prefix: string) => Date.parse(lines.find((l) => l.line.startsWith(prefix))!.ts);
  return at('image size:') - at('building image');
}

ensureNetwork(network);
const app = makeApp();
const platform = await startPlatform({ instance, network, token: benchToken });
try {
  const cold: number[] = [];
  const warm: number[] = [];
  const coldBuild: number[] = [];
  const warmBuild: number[] = [];
  let sizeLine = '';
  for (let i = 0; i < rounds; i++) {
    // A dependency set no build has seen: the cold build's install really runs.
    const pkg = JSON.parse(readFileSync(path.join(app, 'package.json'), 'utf8'));
    pkg.description = `round ${i} of ${process.pid} at ${Date.now()}`;
    writeFileSync(path.join(app, 'package.json'), JSON.stringify(pkg, null, 2));
    writeFileSync(path.join(app, 'src/version.ts'), `export const version = 'cold-${i}';\n`);
    const first = await deploy(platform.caddyUrl, app, `cold-${i}`);
    cold.push(first.ms);
    coldBuild.push(await buildMs(platform.caddyUrl, first.id));
    // The one-line change.
    writeFileSync(path.join(app, 'src/version.ts'), `export const version = 'warm-${i}';\n`);
    const second = await deploy(platform.caddyUrl, app, `warm-${i}`);
    warm.push(second.ms);
    warmBuild.push(await buildMs(platform.caddyUrl, second.id));
    const lines = await logLines(platform.caddyUrl, second.id);
    if (process.env.VERBOSE) console.log((await timedLines(platform.caddyUrl, second.id)).join('\n'));
    sizeLine = lines.find((l) => l.startsWith('image size:')) ?? sizeLine;
    if (!lines.some((l) => l.includes('Using cache'))) throw new Error('the rebuild used no cached step');
  }
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');
  console.log(`rounds: ${rounds} (each: a cold build with a dependency set never built before, then a one-line source change)`);
  console.log(`cold build  POST -> new version answering via Caddy  ms: ${fmt(cold)}  median ${median(cold).toFixed(0)}`);
  console.log(`rebuild     POST -> new version answering via Caddy  ms: ${fmt(warm)}  median ${median(warm).toFixed(0)}`);
  console.log(`ratio (rebuild / cold, medians): ${(median(warm) / median(cold)).toFixed(2)}  (target <= 0.30)`);
  console.log(`image build alone (log: "building image" -> "image size"), cold ms: ${fmt(coldBuild)}  median ${median(coldBuild).toFixed(0)}`);
  console.log(`image build alone, rebuild ms: ${fmt(warmBuild)}  median ${median(warmBuild).toFixed(0)}`);
  console.log(`ratio (rebuild / cold, build alone): ${(median(warmBuild) / median(coldBuild)).toFixed(2)}`);
  console.log(sizeLine);
} finally {
  await platform.stop();
  rmSync(app, { recursive: true, force: true });
}
