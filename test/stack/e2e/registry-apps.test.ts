import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testAppsDir, zipTestApp } from '@berth/testing/archives';
import { createDeployment, settled } from '@berth/testing/deployments';
import { request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { stackForFile } from '@berth/testing/stack';

// Issue 27: the most common app shape, installed from the real npm registry. This machine's
// network intercepts TLS, so builds trust the host's bundle (BUILD_CA_FILE, as `npm run up`
// sets it); with a network that does not, the same bundle holds the public roots.

const stack = stackForFile({ env: { BUILD_CA_FILE: '/etc/ssl/certs/ca-certificates.crt' } });

interface Deployed {
  id: string;
  lines: string[];
  /** POST → running, and the build alone ("building image" → the image size line). */
  seconds: { deploy: number; build: number | undefined };
}

async function deploy(archive: Buffer, name: string): Promise<Deployed> {
  const started = Date.now();
  const d = await createDeployment(stack(), { archive, fields: { name } });
  // Cold installs from the registry on a loaded 2-core machine took 180 s in one run.
  const final = await settled(stack(), d.id, 420_000);
  const deploySeconds = (Date.now() - started) / 1000;
  const logs = (await stack().inject({ method: 'GET', url: `/api/deployments/${d.id}/logs?limit=10000` })).json().lines as { line: string; ts?: string }[];
  const lines = logs.map((l) => l.line);
  expect(final, lines.join('\n')).toMatchObject({ status: 'running' });
  const at = (prefix: string) => logs.find((l) => l.line.startsWith(prefix))?.ts;
  const [from, to] = [at('building image'), at('image size:')];
  const build = from && to ? (Date.parse(to) - Date.parse(from)) / 1000 : undefined;
  return { id: d.id, lines, seconds: { deploy: deploySeconds, build } };
}

async function answer(id: string, pathname = '/') {
  const ask = (p: string) => request(`${stack().caddyUrl}${p}`, { host: `${id}.localhost` });
  await waitFor(`${id} through caddy`, async () => ((await ask('/')).status === 200 ? true : undefined));
  return ask(pathname);
}

describe('apps with dependencies from the npm registry', { timeout: 900_000 }, () => {
  it('an Express 5 app with a package-lock.json and no Dockerfile goes live; a one-line change rebuilds without the install', async () => {
    // A project of its own each run: its layer cache is empty, so the install really fetches from the registry.
    const project = `express-${Math.random().toString(36).slice(2, 8)}`;
    const cold = await deploy(await zipTestApp('express'), project);
    expect(cold.lines).toContain('detected package manager: npm (package-lock.json)');
    expect(cold.lines).toContain('detected install: npm ci (its own layer, keyed on package.json, package-lock.json)');
    expect(cold.lines.some((l) => /^added \d+ packages/.test(l)), cold.lines.join('\n')).toBe(true);
    const body = JSON.parse((await answer(cold.id)).body);
    expect(body).toMatchObject({ app: 'express', message: 'v1' });
    expect(body.express).toMatch(/^5\./);
    expect(JSON.parse((await answer(cold.id, '/files/a/b.txt')).body)).toEqual({ rest: ['a', 'b.txt'] });

    const source = readFileSync(path.join(testAppsDir, 'express/app.js'), 'utf8').replace("const message = 'v1'", "const message = 'v2'");
    const warm = await deploy(await zipTestApp('express', { 'app.js': source }), project);
    const install = warm.lines.findIndex((l) => l.startsWith('Step') && l.includes('npm ci && rm -rf /tmp/.npm'));
    expect(warm.lines[install + 1]).toBe(' ---> Using cache');
    expect(JSON.parse((await answer(warm.id)).body).message).toBe('v2');
    // For BENCHMARKS.md ("Real dependencies").
    console.log(`express: cold ${JSON.stringify(cold.seconds)}, warm ${JSON.stringify(warm.seconds)}`);
  });

  it('a TypeScript app compiled with tsc (typescript and @types/node from the registry, pruned from the running image)', async () => {
    const { id, lines, seconds } = await deploy(await zipTestApp('typescript'), `typescript-${Math.random().toString(36).slice(2, 8)}`);
    expect(lines).toContain('detected build: npm run build (scripts.build in package.json)');
    expect(lines).toContain('detected devDependencies: pruned from the running image (npm prune --omit=dev)');
    expect(JSON.parse((await answer(id, '/hello')).body)).toEqual({ app: 'typescript', compiledBy: 'tsc', path: '/hello' });
    console.log(`typescript: ${JSON.stringify(seconds)}`);
  });

  it('a Vite + React single-page app (vite build: rolldown and lightningcss native binaries) is served as static, deep links get index.html', async () => {
    const { id, lines, seconds } = await deploy(await zipTestApp('vite-react'), `vite-${Math.random().toString(36).slice(2, 8)}`);
    expect(lines).toContain('detected build: npm run build (scripts.build in package.json)');
    expect(lines).toContain('detected single-page app: unknown paths get /index.html (its dependencies are an SPA framework)');
    expect(lines).toContain('serving dist/');
    const index = await answer(id);
    expect(index.body).toContain('<div id="root"></div>');
    const script = /<script type="module" crossorigin src="(\/assets\/index-[\w-]+\.js)">/.exec(index.body)?.[1];
    expect(script, index.body).toBeDefined();
    const asset = await answer(id, script);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.body).toContain('vite-react v1'); // the app's own code, bundled with React
    const deep = await answer(id, '/some/route?tab=2');
    expect(deep.status).toBe(200);
    expect(deep.body).toBe(index.body);
    expect(deep.headers['cache-control']).toBe('no-cache');
    console.log(`vite-react: ${JSON.stringify(seconds)}`);
  });

  it('a pnpm app (packageManager pinned with its hash) installs through Corepack, which downloads pnpm from the registry', async () => {
    const { id, lines, seconds } = await deploy(await zipTestApp('pnpm-app'), `pnpm-${Math.random().toString(36).slice(2, 8)}`);
    expect(lines.some((l) => l.startsWith('detected package manager: pnpm (packageManager "pnpm@10.'))).toBe(true);
    expect(lines).toContain('detected install: corepack pnpm install --frozen-lockfile (its own layer, keyed on package.json, pnpm-lock.yaml)');
    expect(lines.some((l) => /^Done in .* using pnpm v10\./.test(l)), lines.join('\n')).toBe(true);
    expect(JSON.parse((await answer(id, '/x')).body)).toEqual({ app: 'pnpm-app', twoHours: 7_200_000, layout: 'pnpm' });
    console.log(`pnpm-app: ${JSON.stringify(seconds)}`);
  });
});
