import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageTag } from '@berth/shared/docker-names';
import { SwarmRuntime } from '../../../apps/worker/src/docker/swarm-runtime.ts';
import { zipEntries } from '@berth/testing/archives';
import { createDeployment, settled } from '@berth/testing/deployments';
import { startRegistry, type TestRegistry } from '@berth/testing/registry';
import { requireTool } from '@berth/testing/tools';
import { startStack, type Stack } from '@berth/testing/stack';

// Issue 24, door 3: swarm mode copies each app image to a registry (`<registry>/<instance>/<id>:latest`).
// A FROM that is not local is pulled by the daemon from the host's network, so once a copy's local tag
// is gone, `FROM localhost:<port>/<instance>/<victim>` read the victim's files; and the registry kept
// every copy after its deployment was reaped. Here a real registry on loopback holds a "victim" copy.
let stack: Stack;
let registry: TestRegistry;
let strict: TestRegistry;
let workDir: string;
const instance = `regt${randomBytes(3).toString('hex')}`;
/** Local tags this file makes, removed at the end. */
const made: string[] = [];

/** A one-file image (`/secret`), made without a build: nothing is pulled. */
function tinyImage(tag: string): void {
  writeFileSync(path.join(workDir, 'secret'), `victim secret ${tag}\n`);
  const tar = execFileSync('tar', ['-c', '-C', workDir, 'secret']);
  execFileSync('docker', ['import', '-', tag], { input: tar, stdio: ['pipe', 'ignore', 'inherit'] });
  made.push(tag);
}

/** Pushes `tag` to `to` as `<to>/<repository>:latest` (the CLI talks plain HTTP to a loopback registry). */
function pushCopy(tag: string, to: TestRegistry, repository: string): string {
  const copy = `${to.address}/${repository}:latest`;
  execFileSync('docker', ['tag', tag, copy]);
  made.push(copy);
  execFileSync('docker', ['push', copy], { stdio: 'ignore' });
  return copy;
}

const localImage = (ref: string) => {
  try {
    execFileSync('docker', ['image', 'inspect', ref], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** A deployment's image as a swarm worker leaves it: its build tag, and its copy pushed to `to`. */
function deployedImage(to: TestRegistry): { id: string; tag: string; copy: string } {
  const id = `d${randomBytes(4).toString('hex')}`;
  const tag = imageTag(instance, id);
  tinyImage(tag);
  return { id, tag, copy: pushCopy(tag, to, `${instance}/${id}`) };
}

/** The swarm runtime as a worker of `instance` has it (its prober settings name the instance), on `to`. */
const runtimeOn = (to: TestRegistry) =>
  new SwarmRuntime({ registry: to.address, maxReplicas: 1, startTimeoutMs: 1000, prober: { instance, workerName: 'w', image: 'berth/node:24', idleMs: 1000 } });

/** The registry's answer for a manifest (200 while the copy can be pulled). */
async function manifestStatus(to: TestRegistry, repository: string): Promise<number> {
  const accept = 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json';
  return (await fetch(`http://${to.address}/v2/${repository}/manifests/latest`, { method: 'HEAD', headers: { accept } })).status;
}

beforeAll(async () => {
  requireTool('docker', 'Debian: apt-get install docker.io');
  requireTool('docker-registry', 'Debian: apt-get install docker-registry');
  workDir = mkdtempSync(path.join(os.tmpdir(), 'berth-registry-copies-'));
  [registry, strict] = await Promise.all([startRegistry(), startRegistry({ allowDeletes: false })]);
  stack = await startStack({ router: false });
});
afterAll(async () => {
  for (const tag of made) execFileSync('docker', ['image', 'rm', '-f', tag], { stdio: 'ignore' });
  await stack?.close();
  await Promise.all([registry?.stop(), strict?.stop()]);
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('swarm registry copies (issue 24, door 3)', () => {
  it('refuses a FROM or COPY --from that would pull from a registry on this host, however it is spelt, and pulls nothing', async () => {
    const victim = `victim${randomBytes(3).toString('hex')}`;
    const source = `regvictim-${victim}:latest`;
    tinyImage(source);
    const copy = pushCopy(source, registry, `${instance}/${victim}`);
    execFileSync('docker', ['image', 'rm', copy], { stdio: 'ignore' }); // the copy's local tag is gone: the daemon would pull it
    const port = registry.address.split(':')[1];
    const spellings = [`127.0.0.1:${port}`, `localhost:${port}`, `LocalHost:${port}`, `127.1:${port}`, `2130706433:${port}`, `[::1]:${port}`];
    const dockerfiles = [
      ...spellings.map((host) => `FROM ${host}/${instance}/${victim}:latest\nCMD ["/secret"]\n`),
      `FROM scratch\nCOPY --from=localhost:${port}/${instance}/${victim}:latest /secret /stolen\n`,
    ];
    for (const dockerfile of dockerfiles) {
      const d = await createDeployment(stack, { archive: await zipEntries([{ name: 'Dockerfile', content: dockerfile }]) });
      const final = await settled(stack, d.id);
      expect(final, dockerfile).toMatchObject({ status: 'failed', errorCode: 'UNSAFE_DOCKERFILE' });
      expect(final.errorMessage, dockerfile).toMatch(/registry on this host/);
    }
    // Nothing was pulled: the copy is still not local under any of those names.
    for (const host of spellings.slice(0, 2)) expect(localImage(`${host}/${instance}/${victim}:latest`)).toBe(false);
  }, 120_000);

  it('deletes the registry copy with the image (the reaper’s removal), so nobody can pull it afterwards', async () => {
    const { id, tag, copy } = deployedImage(registry);
    expect(await manifestStatus(registry, `${instance}/${id}`)).toBe(200);
    const runtime = runtimeOn(registry);
    await runtime.removeImage(tag);
    expect(await manifestStatus(registry, `${instance}/${id}`)).toBe(404);
    expect(localImage(tag)).toBe(false);
    expect(localImage(copy)).toBe(false);
    expect(() => execFileSync('docker', ['pull', copy], { stdio: 'ignore' })).toThrow();
    // Removing it again (a second reaper pass) is fine.
    await expect(runtime.removeImage(tag)).resolves.toBeUndefined();
  }, 60_000);

  it('keeps the copy’s local tag, and says why, when the registry does not allow deletes (the reaper tries again)', async () => {
    const { id, tag, copy } = deployedImage(strict);
    const runtime = runtimeOn(strict);
    await expect(runtime.removeImage(tag)).rejects.toMatchObject({ code: 'DOCKER_UNAVAILABLE', message: expect.stringMatching(/does not allow deletes/) });
    expect(await manifestStatus(strict, `${instance}/${id}`)).toBe(200);
    // The build tag is gone, the copy's stays: the reaper's next listing still offers the deployment's image.
    expect(localImage(tag)).toBe(false);
    expect(localImage(copy)).toBe(true);
    expect(await runtime.listImages(instance)).toContain(tag);
  }, 60_000);
});
