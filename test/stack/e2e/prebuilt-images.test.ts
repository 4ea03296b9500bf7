import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, logLines, settled } from '@berth/testing/deployments';
import { zipTestApp } from '@berth/testing/archives';
import { multipartBody, request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { startRegistry, type TestRegistry } from '@berth/testing/registry';
import { requireTool } from '@berth/testing/tools';
import { startStack, testToken, type Stack } from '@berth/testing/stack';

// Issue 27, item 4: a prebuilt image from a registry that wants credentials (Debian's docker-registry on
// its own loopback port), deployed by digest and by tag, live through Caddy, rolled back; and the doors
// a tenant must not get through: another tenant's image, Berth's own registry, a same-named local image.
const execFileAsync = promisify(execFile);
const password = 'prebuilt-registry-pw-0123';
let stack: Stack;
let registry: TestRegistry;
let workDir: string;
const made: string[] = [];

/** `docker` with this file's own client config (its login stays out of the machine's ~/.docker). */
const dockerCli = (args: string[], input?: string) =>
  execFileSync('docker', ['--config', path.join(workDir, 'cli'), ...args], { input, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] }).toString();

/** An app image answering `version` on port 3000, pushed as `<registry>/app:<version>`; its digest. */
function pushApp(version: string, push = true): { tag: string; digest: string } {
  const dir = path.join(workDir, version);
  execFileSync('mkdir', ['-p', dir]);
  writeFileSync(path.join(dir, 'Dockerfile'), 'FROM berth/node:24\nCOPY server.js /server.js\nCMD ["node", "/server.js"]\n');
  writeFileSync(path.join(dir, 'server.js'), `require('http').createServer((q, s) => s.end('${version}')).listen(3000);\n`);
  const tag = `${registry.address}/app:${version}`;
  dockerCli(['build', '-q', '-t', tag, dir]);
  made.push(tag);
  if (!push) return { tag, digest: '' };
  const out = dockerCli(['push', tag]);
  return { tag, digest: /digest: (sha256:[a-f0-9]{64})/.exec(out)![1]! };
}

async function deploy(project: string, image: string) {
  const res = await callApi(stack, 'POST', `/api/projects/${project}/deployments`, { image });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return { id: res.body.id as string, final: await settled(stack, res.body.id, 90_000) };
}

const viaCaddy = (host: string) => request(`${stack.caddyUrl}/`, { host: `${host}.localhost` });

beforeAll(async () => {
  requireTool('docker-registry', 'Debian: apt-get install docker-registry');
  workDir = mkdtempSync(path.join(os.tmpdir(), 'berth-prebuilt-'));
  [registry, stack] = await Promise.all([
    startRegistry({ htpasswd: `berth:${bcrypt.hashSync(password, 10)}\n` }),
    startStack({ env: { IMAGE_ALLOW_LOCAL_REGISTRIES: 'true' } }),
  ]);
  dockerCli(['login', '-u', 'berth', '--password-stdin', registry.address], password);
  expect((await callApi(stack, 'POST', '/api/projects', { name: 'prebuilt' })).status).toBe(201);
}, 120_000);
afterAll(async () => {
  for (const tag of made) execFileSync('docker', ['image', 'rm', '-f', tag], { stdio: 'ignore' });
  await stack?.close();
  await registry?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}, 60_000);

describe('deploying a prebuilt image (issue 27)', { timeout: 150_000 }, () => {
  it('without credentials, then with wrong ones: fails, saying the registry refused (IMAGE_PULL_UNAUTHORIZED)', async () => {
    const { digest } = pushApp('v1');
    const anonymous = await deploy('prebuilt', `${registry.address}/app@${digest}`);
    expect(anonymous.final).toMatchObject({ status: 'failed', errorCode: 'IMAGE_PULL_UNAUTHORIZED' });
    expect(anonymous.final.errorMessage).toMatch(/without credentials/);
    expect((await callApi(stack, 'PUT', '/api/projects/prebuilt/registry-auth', { username: 'berth', password: 'wrong' })).body).toEqual({ registryAuth: true });
    const wrong = await deploy('prebuilt', `${registry.address}/app@${digest}`);
    expect(wrong.final).toMatchObject({ status: 'failed', errorCode: 'IMAGE_PULL_UNAUTHORIZED' });
  });

  it('by digest and by tag: pulled, no build, live through Caddy with its digest recorded; rolled back like a build', async () => {
    await callApi(stack, 'PUT', '/api/projects/prebuilt/registry-auth', { username: 'berth', password });
    const project = await callApi(stack, 'GET', '/api/projects/prebuilt');
    expect(project.body.registryAuth).toBe(true);
    expect(JSON.stringify(project.body)).not.toContain(password);
    const v1 = pushApp('v1');
    const first = await deploy('prebuilt', `${registry.address}/app@${v1.digest}`);
    const lines = (await logLines(stack, first.id)).map((l) => l.line);
    expect(first.final, lines.join('\n')).toMatchObject({ status: 'running', source: { type: 'image', image: `${registry.address}/app@${v1.digest}`, digest: v1.digest } });
    expect(lines).not.toContain('building image');
    expect(JSON.stringify(lines)).not.toContain(password);
    await waitFor('v1 through caddy', async () => ((await viaCaddy('prebuilt')).body === 'v1' ? true : undefined));

    // By tag, through the CLI (`berth deploy --project P --image I` waits until it is live).
    const v2 = pushApp('v2');
    // Not spawnSync: the API answers from this very process.
    const cli = await execFileAsync('node', ['apps/cli/bin/berth.mjs', 'deploy', '--project', 'prebuilt', '--image', v2.tag], {
      cwd: path.resolve(import.meta.dirname, '../../..'),
      env: { ...process.env, BERTH_URL: stack.apiUrl, BERTH_TOKEN: testToken },
    }).catch((err: { stdout?: string; stderr?: string }) => ({ ...err, failed: true }));
    expect('failed' in cli, `${cli.stdout}${cli.stderr}`).toBe(false);
    const second = (await callApi(stack, 'GET', '/api/deployments?project=prebuilt&limit=1')).body.items[0];
    expect(second).toMatchObject({ status: 'running', source: { type: 'image', image: v2.tag, digest: v2.digest } });
    await waitFor('v2 through caddy', async () => ((await viaCaddy('prebuilt')).body === 'v2' ? true : undefined));

    const back = await callApi(stack, 'POST', '/api/projects/prebuilt/rollback', { deploymentId: first.id });
    expect(back.status).toBeLessThan(300);
    await waitFor('v1 again through caddy', async () => ((await viaCaddy('prebuilt')).body === 'v1' ? true : undefined));
  });

  it('POST /api/deployments with image: the project\'s credentials pull it; a new project gets none of another\'s', async () => {
    const direct = pushApp('direct');
    const res = await callApi(stack, 'POST', '/api/deployments', { name: 'prebuilt', image: direct.tag, promote: false, port: 3000 });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const final = await settled(stack, res.body.id, 90_000);
    expect(final).toMatchObject({ status: 'running', project: 'prebuilt', source: { type: 'image', image: direct.tag, digest: direct.digest } });
    await waitFor('direct through caddy', async () => ((await viaCaddy(res.body.id)).body === 'direct' ? true : undefined));
    // No name: the project is guessed from the image (app), made now, without the registry-auth set on prebuilt.
    const guessed = await callApi(stack, 'POST', '/api/deployments', { image: direct.tag });
    expect(guessed).toMatchObject({ status: 202, body: { project: 'app' } });
    expect(await settled(stack, guessed.body.id, 90_000)).toMatchObject({ status: 'failed', errorCode: 'IMAGE_PULL_UNAUTHORIZED' });
  });

  it('always pulls: a local image of the asked name that the registry does not have is never run', async () => {
    pushApp('local-only', false);
    const { final } = await deploy('prebuilt', `${registry.address}/app:local-only`);
    expect(final).toMatchObject({ status: 'failed', errorCode: 'IMAGE_PULL_FAILED' });
    expect(final.errorMessage).toMatch(/manifest unknown|not found/i);
  });

  it("refuses another tenant's image, Berth's own images and Berth's registry under any spelling", async () => {
    const victim = (await callApi(stack, 'GET', '/api/deployments?project=prebuilt&status=running')).body.items[0].id as string;
    for (const image of [`berth-${stack.instance}/${victim}:latest`, `docker.io/berth-${stack.instance}/${victim}`, 'berth/node:24', 'sha256:' + 'a'.repeat(64)]) {
      const res = await callApi(stack, 'POST', '/api/projects/prebuilt/deployments', { image });
      expect(res, image).toMatchObject({ status: 400, body: { error: { code: 'IMAGE_REFUSED' } } });
    }
    for (const image of ['not an image', 'app@sha256:123']) {
      expect((await callApi(stack, 'POST', '/api/projects/prebuilt/deployments', { image })).body.error.code).toBe('INVALID_IMAGE_REFERENCE');
    }
    // The same refusals on POST /api/deployments, and an image is the whole source there.
    const direct = (body: Record<string, unknown>) => callApi(stack, 'POST', '/api/deployments', { name: 'prebuilt', ...body });
    for (const image of [`berth-${stack.instance}/${victim}:latest`, 'berth/node:24', 'a'.repeat(64)]) {
      expect(await direct({ image }), image).toMatchObject({ status: 400, body: { error: { code: 'IMAGE_REFUSED' } } });
    }
    expect((await direct({ image: 'Not/Valid' })).body.error.code).toBe('INVALID_IMAGE_REFERENCE');
    const image = `${registry.address}/app:v1`;
    for (const extra of [{ gitUrl: 'https://example.com/a.git' }, { ref: 'main' }, { sourceType: 'git' }, { sourceType: 'upload' }]) {
      expect(await direct({ image, ...extra }), JSON.stringify(extra)).toMatchObject({ status: 400, body: { error: { code: 'SOURCE_AMBIGUOUS' } } });
    }
    expect(await direct({ image, rootDir: 'sub' })).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    const withArchive = await stack.inject({ method: 'POST', url: '/api/deployments', ...(await multipartBody({ name: 'prebuilt', image }, { name: 'app.zip', data: await zipTestApp('hello') })) });
    expect(withArchive.json()).toMatchObject({ error: { code: 'SOURCE_AMBIGUOUS' } });
    const own = (await direct({ image: `127.0.0.1:5000/${stack.instance}/${victim}:latest` })).body.id as string;
    expect(await settled(stack, own, 90_000)).toMatchObject({ status: 'failed', errorCode: 'IMAGE_REFUSED' });
    // BERTH_REGISTRY (127.0.0.1:5000 here) holds a copy of every app image in swarm mode: refused however it is spelt.
    for (const host of ['127.0.0.1:5000', 'localhost:5000', '127.1:5000', '[::1]:5000', '2130706433:5000']) {
      const { final } = await deploy('prebuilt', `${host}/${stack.instance}/${victim}:latest`);
      expect(final, host).toMatchObject({ status: 'failed', errorCode: 'IMAGE_REFUSED' });
      expect(final.errorMessage).toMatch(/Berth's own registry/);
    }
  });
});
