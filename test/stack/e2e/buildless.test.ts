import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testAppsDir, zipTestApp } from '@berth/testing/archives';
import { createDeployment, logLines, settled } from '@berth/testing/deployments';
import { request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { docker, instanceContainers, startStack, type Stack } from '@berth/testing/stack';

const runtimes = JSON.parse(readFileSync(path.join(testAppsDir, '../packages/shared/node-runtimes.json'), 'utf8')) as {
  majors: Record<string, { version: string }>;
};
const node24 = `v${runtimes.majors['24']!.version}`;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
  if (stack) expect(await instanceContainers(stack.instance)).toEqual([]);
});

/** Deploys a zip and waits until it settles; returns the API's view and the log lines. */
async function deploy(archive: Buffer, name: string, timeoutMs = 150_000) {
  const d = await createDeployment(stack, { archive, fields: { name } });
  const final = await settled(stack, d.id, timeoutMs);
  const lines = (await logLines(stack, d.id)).map((l) => l.line);
  return { id: d.id as string, final, lines };
}

function viaCaddy(id: string, pathname = '/', headers: Record<string, string> = {}) {
  return request(`${stack.caddyUrl}${pathname}`, { host: `${id}.localhost`, headers });
}

/** Waits until Caddy routes to the deployment, then returns its answer at `pathname`. */
async function answer(id: string, pathname = '/', headers: Record<string, string> = {}) {
  await waitFor(`${id} through caddy`, async () => ((await viaCaddy(id)).status === 200 ? true : undefined));
  return viaCaddy(id, pathname, headers);
}

/** A command's output inside a deployment's running container. */
async function inContainer(id: string, cmd: string[]): Promise<string> {
  return execIn(id, cmd).catch((err: unknown) => {
    throw new Error(`docker exec ${cmd.join(' ')} in ${id}: ${String(err)}`, { cause: err });
  });
}

async function execIn(id: string, cmd: string[]): Promise<string> {
  const exec = await docker.getContainer(`berth-${stack.instance}-${id}`).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, Tty: true });
  const stream = await exec.start({ Tty: true });
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks).toString().replace(/\r/g, '');
}

async function nothingLeftBehind(id: string) {
  expect(await instanceContainers(stack.instance).then((cs) => cs.filter((c) => c.Names.some((n) => n.includes(id))))).toEqual([]);
  expect(await docker.getImage(`berth-${stack.instance}/${id}:latest`).inspect().catch(() => 'gone')).toBe('gone');
}

describe('deploying without a Dockerfile', { timeout: 180_000 }, () => {
  it('a Node app with a start script: says what it detected and why, shows the Dockerfile, ends with the image size', async () => {
    const { id, final, lines } = await deploy(await zipTestApp('node-start'), 'node-start');
    expect(final, lines.join('\n')).toMatchObject({ status: 'running' });
    const body = JSON.parse((await answer(id, '/ping')).body);
    expect(body).toEqual({ app: 'node-start', node: node24, env: 'production', path: '/ping' });

    const first = lines.indexOf('no Dockerfile: building from what the source holds');
    expect(lines.slice(first + 1, first + 6)).toEqual([
      `detected node: 24 (Node ${node24.slice(1)}; engines.node in package.json: "^24"; offered majors: 20, 22, 24, 26)`,
      'detected package manager: npm (no lockfile; the default)',
      'detected install: nothing to install (no dependencies)',
      'detected build: none (no scripts.build in package.json)',
      'detected start: node app.js (scripts.start in package.json)',
    ]);
    expect(lines).toContain('generated Dockerfile:');
    expect(lines).toContain('  FROM berth/node:24');
    expect(lines).toContain('  CMD ["/bin/sh", "-c", "node app.js"]');
    const size = lines.findIndex((l) => /^image size: \d+\.\d MB; berth\/node:24 is \d+\.\d MB, the app adds \d+\.\d MB$/.test(l));
    expect(size).toBeGreaterThan(lines.indexOf('building image'));
    expect(size).toBeLessThan(lines.findIndex((l) => l.startsWith('container started')));
  });

  it('a Node app with only main (Node from .nvmrc)', async () => {
    const { id, final, lines } = await deploy(await zipTestApp('node-main'), 'node-main');
    expect(final, lines.join('\n')).toMatchObject({ status: 'running' });
    expect((await answer(id)).body).toBe(`node-main on ${node24}\n`);
    expect(lines).toContain(`detected node: 24 (Node ${node24.slice(1)}; .nvmrc: "lts/krypton"; offered majors: 20, 22, 24, 26)`);
    expect(lines).toContain('detected start: node src/main.js (main in package.json)');
  });

  it('a Node app with dependencies (installed offline) and a build step; a one-line change rebuilds without the install', async () => {
    // An uploaded node_modules and .git must not reach the image.
    // A fresh file: the build step really runs (an earlier run of this test left its layers cached).
    const nonce = { 'nonce.txt': String(Math.random()) };
    const extra = { ...nonce, '.git/HEAD': 'ref: refs/heads/main\n', '.git/config': '[core]\n', 'node_modules/junk/index.js': 'junk' };
    const { id, final, lines } = await deploy(await zipTestApp('node-built', extra), 'node-built');
    expect(final, lines.join('\n')).toMatchObject({ status: 'running' });
    expect(JSON.parse((await answer(id)).body)).toEqual({ app: 'node-built', greeting: 'hello, berth', message: 'v1', path: '/' });
    expect(lines).toContain('build step: wrote dist/server.js');
    expect(lines).toContain(
      'detected install: npm ci (its own layer, keyed on package.json, package-lock.json, tools/banner, vendor/greeting-1.0.0.tgz)',
    );
    expect(lines).toContain('detected devDependencies: pruned from the running image (npm prune --omit=dev)');

    // The running image: production dependencies only, no npm, no npm cache, no .git, no uploaded node_modules.
    expect((await inContainer(id, ['ls', '/app/node_modules'])).split(/\s+/).filter(Boolean)).toEqual(['greeting']);
    expect(await inContainer(id, ['ls', '-a', '/app'])).not.toMatch(/\.git\b|\.berth|\.dockerignore/);
    expect(await inContainer(id, ['ls', '/usr/local/bin'])).toBe('node\n');
    expect(await inContainer(id, ['ls', '-1a', '/tmp'])).toBe('.\n..\n');
    expect(await inContainer(id, ['ls', '/root'])).toMatch(/No such file/);

    // One line of source changes: the install layer comes from the cache.
    const source = readFileSync(path.join(testAppsDir, 'node-built/src/server.js'), 'utf8').replace("const message = 'v1'", "const message = 'v2'");
    const again = await deploy(await zipTestApp('node-built', { ...nonce, 'src/server.js': source }), 'node-built');
    expect(again.final, again.lines.join('\n')).toMatchObject({ status: 'running' });
    const install = again.lines.findIndex((l) => l.includes('RUN ["/bin/sh", "-c", "npm ci && rm -rf /tmp/.npm"]') && l.startsWith('Step'));
    expect(again.lines[install + 1]).toBe(' ---> Using cache');
    expect(again.lines).toContain('build step: wrote dist/server.js');
    expect(JSON.parse((await answer(again.id)).body).message).toBe('v2');
  });

  it('a build that writes into node_modules (like prisma generate) keeps what it wrote, devDependencies still pruned', async () => {
    const build = [
      "import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';",
      "mkdirSync('dist', { recursive: true });",
      "mkdirSync('node_modules/.generated', { recursive: true });",
      "writeFileSync('node_modules/.generated/message.js', `module.exports = 'generated at build time';\\n`);",
      "writeFileSync('dist/server.js', readFileSync('src/server.js', 'utf8'));",
    ].join('\n');
    const server = readFileSync(path.join(testAppsDir, 'node-built/src/server.js'), 'utf8').replace(
      "const message = 'v1'",
      "const message = require('../node_modules/.generated/message.js')",
    );
    const overrides = { 'build.mjs': build, 'src/server.js': server, 'nonce.txt': String(Math.random()) };
    const { id, final, lines } = await deploy(await zipTestApp('node-built', overrides), 'node-generated');
    expect(final, lines.join('\n')).toMatchObject({ status: 'running' });
    expect(lines).toContain('the build wrote into node_modules: the image gets it as the build left it');
    expect(JSON.parse((await answer(id)).body).message).toBe('generated at build time');
    expect((await inContainer(id, ['ls', '-1a', '/app/node_modules'])).split('\n').filter(Boolean)).toEqual(['.', '..', '.generated', '.package-lock.json', 'greeting']);
  });

  it('a plain index.html site: pages, 404s, no dotfiles, a health path, compression, cache headers', async () => {
    const { id, final, lines } = await deploy(await zipTestApp('static-site', { 'guide.html': `<p>${'A long page. '.repeat(200)}</p>` }), 'static-site');
    expect(final, lines.join('\n')).toMatchObject({ status: 'running' });
    expect(lines).toContain('detected static site: index.html at the root and no package.json');
    const home = await answer(id);
    expect(home.body).toContain('A plain static site');
    expect(home.headers['cache-control']).toBe('no-cache');
    expect((await viaCaddy(id, '/about')).body).toContain('About this static site');
    expect((await viaCaddy(id, '/assets/style.css')).headers['content-type']).toMatch(/^text\/css/);
    expect((await viaCaddy(id, '/no/such/page')).status).toBe(404);
    expect((await viaCaddy(id, '/.env')).status).toBe(404);
    expect(await viaCaddy(id, '/health')).toMatchObject({ status: 200, body: 'ok' });
    expect((await viaCaddy(id, '/guide.html', { 'accept-encoding': 'gzip' })).headers['content-encoding']).toBe('gzip');
  });

  it('an SPA built by its build script: deep links get index.html, hashed assets are cached for a year', async () => {
    const { id, final, lines } = await deploy(await zipTestApp('spa', { 'nonce.txt': String(Math.random()) }), 'spa');
    expect(final, lines.join('\n')).toMatchObject({ status: 'running' });
    expect(lines).toContain('detected single-page app: unknown paths get /index.html (spa in berth.json)');
    expect(lines).toContain('serving dist/');
    const home = await answer(id);
    expect(home.body).toContain('spa shell');
    const deep = await viaCaddy(id, '/users/42/settings');
    expect(deep.status).toBe(200);
    expect(deep.body).toBe(home.body);
    const script = /src="(\/assets\/app-[0-9a-f]{10}\.js)"/.exec(home.body)![1]!;
    const asset = await viaCaddy(id, script);
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(lines.findLast((l) => l.startsWith('image size:'))).toMatch(/berth\/static:1 is/);
  });
});

describe('failing without a Dockerfile, leaving nothing behind', { timeout: 180_000 }, () => {
  // A fresh file each time: a build step's output shows only when the step is not cached from an earlier run.
  const withPackage = (pkg: unknown) => zipTestApp('node-start', { 'package.json': JSON.stringify(pkg), 'nonce.txt': String(Math.random()) });

  it('NO_START_COMMAND: nothing to start and nothing to build', async () => {
    // app.js is there, but nothing names it (only index.js and server.js are found by name).
    const { id, final } = await deploy(await withPackage({ name: 'x' }), 'no-start');
    expect(final).toMatchObject({ status: 'failed', errorCode: 'NO_START_COMMAND' });
    expect(final.errorMessage).toMatch(/nothing to start/);
    await nothingLeftBehind(id);
  });

  it('NO_START_COMMAND: a build that writes no static site and no start command', async () => {
    const { id, final, lines } = await deploy(await withPackage({ scripts: { build: 'node -e "console.log(42)"' } }), 'no-output');
    expect(final, lines.join('\n')).toMatchObject({ status: 'failed', errorCode: 'NO_START_COMMAND' });
    expect(final.errorMessage).toMatch(/the build wrote no static site/);
    expect(lines).toContain('42');
    await nothingLeftBehind(id);
  });

  it('UNSUPPORTED_NODE_VERSION, naming the offered majors', async () => {
    const { id, final } = await deploy(await withPackage({ engines: { node: '18.x' }, scripts: { start: 'node app.js' } }), 'old-node');
    expect(final).toMatchObject({
      status: 'failed',
      errorCode: 'UNSUPPORTED_NODE_VERSION',
      errorMessage: 'engines.node in package.json asks for Node "18.x", which Berth does not offer; offered majors: 20, 22, 24, 26',
    });
    await nothingLeftBehind(id);
  });

  it('BUILD_FAILED: a build script that fails', async () => {
    const { id, final, lines } = await deploy(
      await withPackage({ scripts: { build: 'node -e "console.error(\'the build broke\'); process.exit(3)"', start: 'node app.js' } }),
      'build-fails',
    );
    expect(final).toMatchObject({ status: 'failed', errorCode: 'BUILD_FAILED' });
    expect(final.errorMessage).toMatch(/npm run build.*returned a non-zero code: 3/);
    // The builder colours a step's stderr.
    expect(lines.some((l) => l.includes('the build broke'))).toBe(true);
    await nothingLeftBehind(id);
  });

  it('INVALID_BUILD_CONFIG: a berth.json with an unknown key', async () => {
    const { id, final } = await deploy(await zipTestApp('static-site', { 'berth.json': '{"spa": true, "outdir": "x"}' }), 'bad-config');
    expect(final).toMatchObject({ status: 'failed', errorCode: 'INVALID_BUILD_CONFIG' });
    expect(final.errorMessage).toMatch(/berth\.json: \(top level\): Unrecognized key.*outdir/);
    await nothingLeftBehind(id);
  });
});
