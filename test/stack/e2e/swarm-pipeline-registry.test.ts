import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerName } from '@berth/shared/docker-names';
import { nodeRuntimes } from '@berth/shared/node-runtimes';
import { zipEntries } from '@berth/testing/archives';
import { createDeployment, logLines, settled } from '@berth/testing/deployments';
import { freePort, waitFor } from '@berth/testing/ports';
import { startRegistry, type TestRegistry } from '@berth/testing/registry';
import { docker } from '@berth/testing/stack';
import { startSwarmStack, taskContainers, type SwarmStack } from './swarm-pipeline-setup.ts';

// Swarm mode with a registry that wants credentials (htpasswd, bcrypt), and with no registry at all.
const password = 'hunter2secret-registry-pw';
let registry: TestRegistry;
const open: SwarmStack[] = [];
beforeAll(async () => {
  registry = await startRegistry({ htpasswd: `berth:${bcrypt.hashSync(password, 10)}\n` });
}, 30_000);
afterAll(async () => {
  for (const s of open) await s.close();
  await registry?.stop();
}, 120_000);

async function swarmWith(env: Record<string, string>): Promise<SwarmStack> {
  const s = await startSwarmStack({ env });
  open.push(s);
  return s;
}
const app = () =>
  zipEntries([
    { name: 'Dockerfile', content: `FROM berth/node:${nodeRuntimes.pinned}\nCOPY server.js /server.js\nCMD ["node", "/server.js"]\n` },
    { name: 'server.js', content: `require('http').createServer((q, s) => s.end('ok')).listen(3000); console.log('up');` },
  ]);

/** Nothing the API or the deployment log says about it carries the password. */
async function expectNoPassword(s: SwarmStack, id: string) {
  const view = (await s.stack.inject({ method: 'GET', url: `/api/deployments/${id}` })).body;
  const logs = JSON.stringify(await logLines(s.stack, id));
  for (const text of [view, logs]) {
    expect(text).not.toContain(password);
    expect(text).not.toContain(Buffer.from(password).toString('base64').slice(0, 12));
  }
}

describe('registry credentials in swarm mode', () => {
  it('with the right credentials, pushes, and every task pulls with them (the service carries them)', async () => {
    const s = await swarmWith({ BERTH_REGISTRY: registry.address, BERTH_REGISTRY_USERNAME: 'berth', BERTH_REGISTRY_PASSWORD: password });
    const d = await createDeployment(s.stack, { archive: await app(), fields: { name: 'reg-ok' } });
    expect((await settled(s.stack, d.id, 90_000)).status).toBe('running');
    const ref = `${registry.address}/${s.stack.instance}/${d.id}:latest`;
    expect(await s.registryImages()).toContain(ref);
    await expectNoPassword(s, d.id);

    // As on a node that never had the image: drop the local copy and make Swarm start a new task. It can only
    // run if the node pulls from the registry with the credentials the service was created with.
    await docker.getImage(ref).remove({ force: true, noprune: true });
    const service = containerName(s.stack.instance, d.id);
    const [first] = await taskContainers(service);
    await docker.getContainer(first!.Id).kill();
    await waitFor('a new task running from a pulled image', async () => {
      const running = (await taskContainers(service)).filter((c) => c.State === 'running' && c.Id !== first!.Id);
      return running.length > 0 && (await s.registryImages()).includes(ref);
    }, 60_000, 250);

    // The control: a service made without credentials cannot pull that image on a node that lacks it.
    await docker.getImage(ref).remove({ force: true, noprune: true });
    const bare = `${service}-noauth`;
    await docker.createService({ Name: bare, Labels: { 'dev.berth.instance': s.stack.instance }, TaskTemplate: { ContainerSpec: { Image: ref } }, Mode: { Replicated: { Replicas: 1 } } } as never);
    try {
      const err = await waitFor('the task to be rejected', async () => {
        const tasks = (await docker.listTasks({ filters: { service: [bare] } })) as { Status?: { State?: string; Err?: string } }[];
        return tasks.find((t) => t.Status?.State === 'rejected')?.Status?.Err;
      }, 60_000, 250);
      expect(err).toMatch(/no such image|not found|pull/i);
    } finally {
      await docker.getService(bare).remove();
    }
  }, 240_000);

  it('with a wrong password, fails with IMAGE_PUSH_FAILED, a readable message and no password anywhere', async () => {
    const wrong = 'hunter2secret-wrong-pw';
    const s = await swarmWith({ BERTH_REGISTRY: registry.address, BERTH_REGISTRY_USERNAME: 'berth', BERTH_REGISTRY_PASSWORD: wrong });
    const d = await createDeployment(s.stack, { archive: await app(), fields: { name: 'reg-wrong' } });
    const done = await settled(s.stack, d.id, 90_000);
    expect(done).toMatchObject({ status: 'failed', errorCode: 'IMAGE_PUSH_FAILED' });
    expect(done.errorMessage).toContain(registry.address);
    expect(done.errorMessage).toMatch(/unauthorized|authentication required/i);
    expect(JSON.stringify(done)).not.toContain(wrong);
    expect(JSON.stringify(await logLines(s.stack, d.id))).not.toContain(wrong);
    await expectNoPassword(s, d.id);
    expect(await s.services()).toEqual([]);
  }, 120_000);

  it('with the registry down, fails with IMAGE_PUSH_FAILED naming it', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    const s = await swarmWith({ BERTH_REGISTRY: closed });
    const d = await createDeployment(s.stack, { archive: await app(), fields: { name: 'reg-down' } });
    const done = await settled(s.stack, d.id, 90_000);
    expect(done).toMatchObject({ status: 'failed', errorCode: 'IMAGE_PUSH_FAILED' });
    expect(done.errorMessage).toContain(closed);
    const last = (await logLines(s.stack, d.id)).at(-1);
    expect(last).toMatchObject({ stream: 'system', line: expect.stringContaining('IMAGE_PUSH_FAILED') });
    expect(await s.services()).toEqual([]);
  }, 120_000);
});
