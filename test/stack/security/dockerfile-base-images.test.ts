import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { zipEntries, zipTestApp } from '@berth/testing/archives';
import { callApi, createDeployment, settled } from '@berth/testing/deployments';
import { multipartBody } from '@berth/testing/http';
import { requireTool } from '@berth/testing/tools';
import { startStack, type Stack } from '@berth/testing/stack';

// What the daemon really builds from, not how the Dockerfile spells it (issue 24, doors 1-3):
// a build arg in FROM, a base image's ONBUILD triggers, and another name for an app's image
// must not let one project read another's image or make the daemon fetch from the host.
let stack: Stack;
let server: http.Server;
let victimImage: string;
const hits: string[] = [];
/** Images this file makes (tags), removed at the end. */
const made: string[] = [];
const keepRunning = 'CMD ["node", "-e", "setInterval(() => {}, 1000)"]';

beforeAll(async () => {
  requireTool('docker', 'Debian: apt-get install docker.io');
  stack = await startStack({ router: false });
  server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('secret from the host loopback\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const victim = await createDeployment(stack, { archive: await zipTestApp('hello') });
  expect(await settled(stack, victim.id)).toMatchObject({ status: 'running' });
  victimImage = `berth-${stack.instance}/${victim.id}:latest`;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  for (const tag of made) execFileSync('docker', ['image', 'rm', tag], { stdio: 'ignore' });
  await stack?.close();
});

/** Builds a local image from `dockerfile` with the docker CLI (from local images only: nothing is pulled). */
function localImage(dockerfile: string): string {
  const tag = `policy-base-${randomBytes(4).toString('hex')}:latest`;
  execFileSync('docker', ['build', '--pull=false', '-q', '-t', tag, '-'], { input: dockerfile, stdio: ['pipe', 'ignore', 'inherit'] });
  made.push(tag);
  return tag;
}

/** A project with this build env, and a deployment of a Dockerfile to it; the settled deployment. */
async function deployToProject(buildEnv: Record<string, string>, dockerfile: string, app?: string): Promise<any> {
  const name = `tenant-${randomBytes(3).toString('hex')}`;
  expect((await callApi(stack, 'POST', '/api/projects', { name, buildEnv })).status).toBe(201);
  const res = await stack.inject({
    method: 'POST',
    url: `/api/projects/${name}/deployments`,
    ...(await multipartBody({}, { name: 'app.zip', data: await (app ? zipTestApp(app, { Dockerfile: dockerfile }) : zipEntries([{ name: 'Dockerfile', content: dockerfile }])) })),
  });
  expect(res.statusCode).toBe(202);
  return settled(stack, res.json().id);
}

it("door 1: a build arg in FROM is checked as the value the daemon gets: another app's image is refused", async () => {
  const withDefault = await deployToProject({ BASE: victimImage }, `ARG BASE=berth/node:24\nFROM \${BASE}\n${keepRunning}\n`);
  expect(withDefault).toMatchObject({ status: 'failed', errorCode: 'UNSAFE_DOCKERFILE' });
  expect(withDefault.errorMessage).toContain('line 2');
  expect(withDefault.errorMessage).toContain('FROM ${BASE} ('); // what it expanded to (masked: it is a build env value)
  expect(withDefault.errorMessage).toContain('Berth app image');

  const noDefault = await deployToProject({ BASE: victimImage }, `ARG BASE\nFROM $BASE\n${keepRunning}\n`);
  expect(noDefault).toMatchObject({ status: 'failed', errorCode: 'UNSAFE_DOCKERFILE' });

  // Nothing to expand it with: refused with a reason, not handed to the daemon.
  const unset = await deployToProject({}, `ARG BASE\nFROM $BASE\n${keepRunning}\n`);
  expect(unset).toMatchObject({ status: 'failed', errorCode: 'UNSAFE_DOCKERFILE' });
  expect(unset.errorMessage).toContain('empty');

  // A build arg naming an allowed image still builds.
  const hello = 'WORKDIR /app\nCOPY . /app/\nCMD ["node", "/app/server.js"]\n';
  const fine = await deployToProject({ BASE: 'berth/node:24' }, `ARG BASE=alpine-not-here\nFROM \${BASE}\n${hello}`, 'hello');
  expect(fine, fine.errorMessage).toMatchObject({ status: 'running' });
});

it("door 2: a base image's ONBUILD triggers are checked like Dockerfile lines, and the URL is never fetched", async () => {
  const port = (server.address() as AddressInfo).port;
  const base = localImage(`FROM berth/node:24\nONBUILD ADD http://127.0.0.1:${port}/onbuild /x\nONBUILD COPY --from=${victimImage} /app /stolen\n`);
  const d = await createDeployment(stack, { archive: await zipEntries([{ name: 'Dockerfile', content: `FROM ${base}\n${keepRunning}\n` }]) });
  const final = await settled(stack, d.id);
  expect(final).toMatchObject({ status: 'failed', errorCode: 'UNSAFE_DOCKERFILE' });
  expect(final.errorMessage).toContain('line 1');
  expect(final.errorMessage).toContain(`ONBUILD ADD http://127.0.0.1:${port}/onbuild`);
  expect(final.errorMessage).toContain('(and 1 more)');
  expect(hits).toEqual([]);

  // Only the app-image trigger: refused for what that image is.
  const copier = localImage(`FROM berth/node:24\nONBUILD COPY --from=${victimImage} /app /stolen\n`);
  const copy = await createDeployment(stack, { archive: await zipEntries([{ name: 'Dockerfile', content: `FROM ${copier}\n${keepRunning}\n` }]) });
  const refused = await settled(stack, copy.id);
  expect(refused).toMatchObject({ status: 'failed', errorCode: 'UNSAFE_DOCKERFILE' });
  expect(refused.errorMessage).toContain('COPY --from');
});

it("door 3: another name for an app's image (a registry copy, a second tag, its labels) is refused by what the image is", async () => {
  const [, deploymentId] = /\/([^:]+):/.exec(victimImage)!;
  const registryCopy = `127.0.0.1:5000/${stack.instance}/${deploymentId}:latest`;
  const secondTag = `policy-innocent-${randomBytes(4).toString('hex')}:latest`;
  for (const tag of [registryCopy, secondTag]) {
    execFileSync('docker', ['tag', victimImage, tag]);
    made.push(tag);
  }
  const labelled = localImage('FROM berth/node:24\nLABEL dev.berth.deployment=someone-else\n');
  for (const base of [registryCopy, secondTag, labelled]) {
    const d = await createDeployment(stack, {
      archive: await zipEntries([{ name: 'Dockerfile', content: `FROM ${base}\nCMD ["cat", "/app/server.js"]\n` }]),
    });
    const final = await settled(stack, d.id);
    expect(final, base).toMatchObject({ status: 'failed', errorCode: 'UNSAFE_DOCKERFILE' });
    expect(final.errorMessage).toMatch(/Berth app image|Berth's app labels/);
  }
});
